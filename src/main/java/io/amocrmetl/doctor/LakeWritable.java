package io.amocrmetl.doctor;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whether {@code lake.path} can be written, found by writing and deleting a small file there
 * (a local folder, or any Hadoop file system URI without starting Spark). A lake that does not
 * exist yet is fine when its nearest existing parent is writable: the first ingest creates it.
 */
final class LakeWritable {
    private LakeWritable() {}

    static Check check(String lakePath) {
        URI uri;
        try {
            uri = URI.create(lakePath);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri != null
                && uri.getScheme() != null
                && !uri.getScheme().equals("file")
                && uri.getScheme().length() > 1) {
            return hadoop(lakePath);
        }
        var dir = Paths.get(uri != null && "file".equals(uri.getScheme()) ? uri.getPath() : lakePath)
                .toAbsolutePath();
        var existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            return Check.error("lake", lakePath + " is not a folder", "set lake.path to a folder", ExitCode.BAD_CONFIG);
        }
        try {
            var probe = Files.createTempFile(existing, ".doctor-", ".probe");
            Files.delete(probe);
        } catch (IOException e) {
            return Check.error(
                    "lake",
                    "cannot write in " + existing + " (" + e.getClass().getSimpleName() + ")",
                    "give this user write access there, or set lake.path to a writable folder",
                    ExitCode.BAD_CONFIG);
        }
        if (!existing.equals(dir)) {
            return Check.ok(
                    "lake", dir + " does not exist yet; the first ingest creates it (" + existing + " is writable)");
        }
        boolean lake = Files.isDirectory(dir.resolve(Tables.LAKE_META).resolve("_delta_log"));
        return Check.ok("lake", dir + " is writable" + (lake ? " and holds a lake" : " (no lake yet)"));
    }

    private static Check hadoop(String lakePath) {
        try {
            Path root = new Path(lakePath);
            FileSystem fs = root.getFileSystem(new Configuration());
            Path probe = new Path(root, ".doctor-" + UUID.randomUUID() + ".probe");
            fs.create(probe, false).close();
            fs.delete(probe, false);
            return Check.ok("lake", lakePath + " is writable");
        } catch (IOException | RuntimeException e) {
            return Check.error(
                    "lake",
                    "cannot write in " + lakePath + " (" + e.getClass().getSimpleName() + ": "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")",
                    "check lake.path and the " + "file system's credentials (the same Hadoop settings Spark uses)",
                    ExitCode.BAD_CONFIG);
        }
    }
}
