package io.amocrmetl.webhooks;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The landing folder on an object store (s3a://, gs://, abfs://, any Hadoop file system), where
 * nothing can be appended: each write is one whole object, visible when it is complete. The same
 * code runs on {@code file:} paths for the tests ({@code webhooks.landing-mode = objects}).
 * Credentials come from the usual Hadoop configuration (core-site.xml, environment).
 */
final class HadoopFiles implements LandingFiles {
    private final URI root;
    private final FileSystem fs;

    /**
     * @param conf a Hadoop Configuration (ingest passes its Spark session's); null: a new one. With
     *             a Configuration the shared FileSystem instance is used (ingest only reads and
     *             moves); without one, the receiver gets an instance of its own.
     */
    HadoopFiles(String landing, Object conf) {
        String uri = landing.contains(":")
                ? landing
                : Paths.get(landing).toAbsolutePath().toUri().toString();
        this.root = URI.create(uri.endsWith("/") ? uri : uri + "/");
        try {
            if (conf instanceof Configuration c) {
                this.fs = FileSystem.get(root, c);
            } else {
                this.fs = FileSystem.newInstance(root, new Configuration());
                // Hadoop's local file system writes .crc side files; object stores have their own checksums.
                fs.setWriteChecksum(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the landing folder " + root + ": " + e.getMessage(), e);
        }
    }

    private HadoopFiles(URI root, FileSystem fs) {
        this.root = root;
        this.fs = fs;
    }

    private Path path(String dir, String name) {
        Path d = dir.isEmpty() ? new Path(root) : new Path(new Path(root), dir);
        return name == null ? d : new Path(d, name);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(path(dir, null))) {
                String n = s.getPath().getName();
                if (s.isFile() && !n.startsWith(".") && !n.startsWith("_")) {
                    out.add(n);
                }
            }
        } catch (FileNotFoundException e) {
            return List.of();
        }
        out.sort(String::compareTo);
        return out;
    }

    @Override
    public byte[] read(String dir, String name) throws IOException {
        try (InputStream in = fs.open(path(dir, name))) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    @Override
    public void put(String dir, String name, byte[] data) throws IOException {
        Path p = path(dir, name);
        boolean done = false;
        try (FSDataOutputStream out = fs.create(p, false)) {
            out.write(data);
            out.hsync();
            done = true;
        } finally {
            if (!done) {
                try {
                    fs.delete(p, false);
                } catch (IOException e) {
                    // A partial object left behind is a torn frame the reader drops.
                }
            }
        }
    }

    @Override
    public void move(String from, String name, String to) throws IOException {
        fs.mkdirs(path(to, null));
        if (!fs.rename(path(from, name), path(to, name))) {
            throw new IOException("could not move " + name + " from " + from + " to " + to);
        }
    }

    @Override
    public LandingFiles under(String folder) {
        return new HadoopFiles(root.resolve(folder + "/"), fs);
    }

    @Override
    public String describe() {
        return "objects at " + root;
    }
}
