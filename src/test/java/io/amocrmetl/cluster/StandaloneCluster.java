package io.amocrmetl.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on loopback (docs/spark-and-delta.md): a master and workers
 * of one core each, every one a JVM of its own started from a {@link SparkInstall}; executors are
 * the workers' child processes. {@link #close()} ends all of them, executors first.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Pattern EXECUTOR_PID = Pattern.compile("Started daemon with process name: (\\d+)@");
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final CountDownLatch registered;
    final int port;

    private StandaloneCluster(Path dir, int port, int workers) {
        this.dir = dir;
        this.port = port;
        this.registered = new CountDownLatch(workers);
    }

    /**
     * Starts a master and {@code workers} workers ({@code workerMemory} each for executors) and
     * returns once the master has registered every worker.
     */
    static StandaloneCluster start(SparkInstall spark, Path dir, int workers, String workerMemory, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        StandaloneCluster c = new StandaloneCluster(dir, freePort(), workers);
        try {
            // The REST submission server would take the fixed port 6066: off, so clusters never collide.
            ProcessBuilder master = new ProcessBuilder(
                    spark.java("256m", "org.apache.spark.deploy.master.Master", "-Dspark.master.rest.enabled=false"));
            master.command()
                    .addAll(List.of(
                            "--host",
                            "127.0.0.1",
                            "--port",
                            String.valueOf(c.port),
                            "--webui-port",
                            String.valueOf(freePort())));
            spark.environment(master);
            Process m = master.redirectErrorStream(true).start();
            c.processes.add(m);
            c.follow(m, dir.resolve("master.log"));
            for (int i = 1; i <= workers; i++) {
                Path work = Files.createDirectories(dir.resolve("work" + i));
                ProcessBuilder worker = new ProcessBuilder(spark.java("256m", "org.apache.spark.deploy.worker.Worker"));
                worker.command()
                        .addAll(List.of(
                                "--host",
                                "127.0.0.1",
                                "--cores",
                                "1",
                                "--memory",
                                workerMemory,
                                "--webui-port",
                                String.valueOf(freePort()),
                                "--work-dir",
                                work.toString(),
                                c.url()));
                spark.environment(worker);
                c.processes.add(worker.redirectErrorStream(true)
                        .redirectOutput(dir.resolve("worker" + i + ".log").toFile())
                        .start());
            }
            if (!c.registered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the master registered " + (workers - c.registered.getCount()) + " of "
                        + workers + " workers in " + timeout + "; logs in " + dir
                        + (m.isAlive() ? "" : " (the master exited)"));
            }
            return c;
        } catch (Throwable e) {
            c.close();
            throw e;
        }
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Copies the master's log to a file, counting down as it registers workers. */
    private void follow(Process p, Path log) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                            PrintWriter out =
                                    new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                        for (String line; (line = in.readLine()) != null; ) {
                            out.println(line);
                            if (line.contains("Registering worker")) {
                                registered.countDown();
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                "spark-master-log");
        t.setDaemon(true);
        t.start();
    }

    /** The process ids of every executor the workers started, from the executors' own logs. */
    Set<Long> executorPids() throws IOException {
        Set<Long> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr"))
                    .toList()) {
                Matcher m = EXECUTOR_PID.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    out.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return out;
    }

    /** Ends every process of the cluster: the workers' executors, the workers, the master. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).toHandle().descendants().forEach(all::add);
            all.add(processes.get(i).toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
