package io.amocrmetl.retention;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.lake.Lake;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A table's files as the file system holds them (through Hadoop, so any store Spark writes to):
 * what maintenance decides from and the bytes on disk it reports. The live set (files of the
 * current version) comes from Delta's snapshot.
 */
final class LakeFiles {
    private final Lake lake;
    private final FileSystem fs;

    LakeFiles(Lake lake) {
        this.lake = lake;
        try {
            this.fs = new Path(lake.root())
                    .getFileSystem(lake.spark().sessionState().newHadoopConf());
        } catch (IOException e) {
            throw new EtlException(
                    ExitCode.UNEXPECTED, "cannot open the file system of " + lake.root() + ": " + e.getMessage(), e);
        }
    }

    /** Everything under the table's folder: data files by partition, total bytes, log versions. */
    MaintenancePlan.OnDisk list(String table) {
        // Qualified (scheme, absolute), as the listing returns its files: lake.path may be relative.
        Path root = fs.makeQualified(new Path(lake.path(table)));
        List<MaintenancePlan.DataFile> data = new ArrayList<>();
        long bytes = 0;
        long latest = -1;
        long checkpoint = -1;
        try {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                bytes += f.getLen();
                String relative = root.toUri().relativize(f.getPath().toUri()).getPath();
                String name = f.getPath().getName();
                if (relative.startsWith("_delta_log/")) {
                    if (f.getPath().getParent().getName().equals("_delta_log")) {
                        latest = Math.max(latest, MaintenancePlan.commitVersion(name));
                        checkpoint = Math.max(checkpoint, MaintenancePlan.checkpointVersion(name));
                    }
                } else if (!hidden(relative)) {
                    int slash = relative.lastIndexOf('/');
                    data.add(new MaintenancePlan.DataFile(
                            key(f.getPath()),
                            slash < 0 ? "" : relative.substring(0, slash),
                            f.getLen(),
                            f.getModificationTime()));
                }
            }
        } catch (FileNotFoundException e) {
            return new MaintenancePlan.OnDisk(List.of(), 0, -1, -1);
        } catch (IOException e) {
            throw new EtlException(ExitCode.UNEXPECTED, "cannot list " + root + ": " + e.getMessage(), e);
        }
        return new MaintenancePlan.OnDisk(List.copyOf(data), bytes, latest, checkpoint);
    }

    /** Whether a partition folder of the table ("" for the table's own) holds any data file, live or not. */
    boolean holdsData(String table, String partition) {
        Path dir = new Path(lake.path(table) + (partition.isEmpty() ? "" : "/" + partition));
        try {
            for (FileStatus f : fs.listStatus(dir)) {
                if (f.isFile() && !hidden(f.getPath().getName())) {
                    return true;
                }
            }
            return false;
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new EtlException(ExitCode.UNEXPECTED, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The data files of the table's current version (from the snapshot; reads no data). */
    Set<String> live(String table) {
        Set<String> out = new HashSet<>();
        for (String f : lake.read(table).inputFiles()) {
            out.add(key(new Path(f)));
        }
        return out;
    }

    /** Every byte under the lake's folder. */
    long bytes() {
        try {
            return fs.getContentSummary(new Path(lake.root())).getLength();
        } catch (FileNotFoundException e) {
            return 0;
        } catch (IOException e) {
            throw new EtlException(ExitCode.UNEXPECTED, "cannot measure " + lake.root() + ": " + e.getMessage(), e);
        }
    }

    /** Files and folders Delta and Hadoop keep for themselves (_delta_log, .crc, _SUCCESS): never data. */
    static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith("_") || part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** One spelling of a file for both sides of the comparison: the decoded path, without scheme. */
    private static String key(Path p) {
        return p.toUri().getPath();
    }
}
