package io.amocrmetl.lake;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A lease file on any Hadoop file system (HDFS, object stores): {@code create(overwrite=false)}. */
final class HadoopLeaseFile implements LeaseFile {
    private final FileSystem fs;
    private final Path file;

    HadoopLeaseFile(Configuration conf, String dir, String name) throws IOException {
        this.file = new Path(dir, name);
        this.fs = file.getFileSystem(conf);
    }

    @Override
    public String name() {
        return file.getName();
    }

    @Override
    public boolean create(String content) {
        try {
            fs.mkdirs(file.getParent());
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (exists(file)) {
                return false; // some stores report an existing file as a plain IOException
            }
            throw new UncheckedIOException("cannot create the lease " + file, e);
        }
    }

    @Override
    public Optional<String> read(String fileName) {
        try (FSDataInputStream in = fs.open(new Path(file.getParent(), fileName))) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lease " + file, e);
        }
    }

    @Override
    public Optional<Instant> modified() {
        try {
            return Optional.of(Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime()));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lease " + file, e);
        }
    }

    @Override
    public void touch() {
        try {
            fs.setTimes(file, System.currentTimeMillis(), -1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot renew the lease " + file, e);
        }
    }

    @Override
    public boolean moveAside(String asideName) {
        try {
            return fs.rename(file, new Path(file.getParent(), asideName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the expired lease " + file, e);
        }
    }

    @Override
    public void moveBack(String asideName) {
        try {
            if (!fs.exists(file)) {
                fs.rename(new Path(file.getParent(), asideName), file);
            }
        } catch (IOException e) {
            // another job created a lease meanwhile: that one holds it now
        }
    }

    @Override
    public void delete(String fileName) {
        try {
            fs.delete(new Path(file.getParent(), fileName), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + fileName + " beside " + file, e);
        }
    }

    private boolean exists(Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            return false;
        }
    }
}
