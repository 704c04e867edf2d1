package io.amocrmetl.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.ApiWalker;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.testing.DemoLake;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's launcher, run as a user runs it: {@code jobs/amocrm-etl} in a child process,
 * building if needed, with the classpath and JVM flags it sets itself.
 */
class LauncherSlowIT {
    static final Path LAUNCHER = Path.of("jobs/amocrm-etl").toAbsolutePath();

    private static ProcessBuilder launcher(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = LAUNCHER.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return new ProcessBuilder(cmd)
                .directory(LAUNCHER.getParent().getParent().toFile());
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) throws Exception {
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        Process p = launcher(args)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher did not finish: " + String.join(" ", args));
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void sandboxCommandServesTheApiUntilStopped() throws Exception {
        Process p = launcher("sandbox", "--port", "0", "--seed", "9", "--leads", "150", "--token", "t-123")
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern ready = Pattern.compile("amoCRM sandbox ready at (http://127\\.0\\.0\\.1:\\d+)");
            String url = null;
            StringBuilder seen = new StringBuilder();
            for (String line; url == null && (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = ready.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertTrue(url != null, "no ready line in:\n" + seen);
            assertTrue(seen.indexOf("t-123") < 0, "the token must not be printed");
            ApiWalker api = new ApiWalker(url, "t-123");
            assertEquals(
                    150, api.walk("/api/v4/leads?limit=250", "leads").items().size());
            assertEquals(
                    401,
                    api.get(
                                    "/api/v4/leads",
                                    java.util.Map.of("Authorization", "Bearer " + SandboxSettings.DEFAULT_TOKEN))
                            .status(),
                    "only the given token works");
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sandbox did not stop on SIGTERM");
        }
    }

    /**
     * The README's first command, as a new user runs it: {@code jobs/amocrm-etl demo} in a fresh
     * clone (committed files only), building there first. It ingests the sandbox into ./lakehouse
     * twice and prints the summary and the three queries.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theReadmeDemoRunsFromAFreshClone() throws Exception {
        Path clone = Files.createTempDirectory("fresh-clone");
        Process git = new ProcessBuilder(
                        "git", "clone", "-q", LAUNCHER.getParent().getParent().toString(), clone.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(git.waitFor(2, TimeUnit.MINUTES) && git.exitValue() == 0, "git clone failed");
        Path out = Files.createTempFile("demo", ".out");
        Path err = Files.createTempFile("demo", ".err");
        Process p = new ProcessBuilder(clone.resolve("jobs/amocrm-etl").toString(), "demo")
                .directory(clone.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(p.waitFor(14, TimeUnit.MINUTES), "the demo did not finish");
        String o = Files.readString(out);
        assertEquals(0, p.exitValue(), Files.readString(err));
        assertTrue(o.contains("== first ingest") && o.contains("== second ingest"), o);
        assertTrue(o.matches("(?s).*\\n\\d+ tables; first ingest \\d+ requests.*"), o);
        for (String q : List.of("Open pipeline by stage", "Won revenue by manager", "Stage changes by month")) {
            assertTrue(o.contains(q), "query " + q + " in:\n" + o);
        }
        assertTrue(Files.isDirectory(clone.resolve("lakehouse/leads/_delta_log")), "Delta tables in ./lakehouse");
        assertTrue(Files.exists(clone.resolve("lakehouse/.amocrm-etl-demo")));
        // NotebooksSlowIT (after this class: alphabetical) executes the notebooks against this lake.
        DemoLake.keep(clone.resolve("lakehouse"));
    }

    /** The demo never replaces a folder it did not make. */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theDemoRefusesAForeignLakeFolder() throws Exception {
        Path foreign = Files.createTempDirectory("not-a-demo");
        Files.writeString(foreign.resolve("precious.txt"), "keep me");
        Run r = run("demo", "--lake", foreign.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("was not made by the demo"), r.err());
        assertTrue(Files.exists(foreign.resolve("precious.txt")));
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void helpAndBadArguments() throws Exception {
        Run help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("sandbox") && help.out().contains("demo"), help.out());
        Run bad = run("sandbox", "--leads", "many");
        assertEquals(2, bad.exit(), "bad arguments exit 2");
        assertTrue(bad.err().contains("--leads"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), "one clear line on stderr: " + bad.err());
    }
}
