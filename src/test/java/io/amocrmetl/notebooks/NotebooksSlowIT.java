package io.amocrmetl.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.testing.DemoLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook executed top to bottom for real (docs/marts-and-notebooks.md),
 * as a user does: {@code jobs/amocrm-etl demo} builds the demo lake and its marts (the one
 * {@code LauncherSlowIT}'s README demo made, when this build has it: {@link DemoLake}),
 * then {@code jobs/notebooks run} executes each notebook on the Java kernel under Debian's
 * jupyter-nbconvert, which fails when any cell fails. The executed copies must have every cell
 * run in order, no error, and their charts.
 */
class NotebooksSlowIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void everyNotebookRunsTopToBottomAgainstTheDemoLake() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path lake = dir.resolve("lakehouse");
        // The README demo's lake from LauncherSlowIT when this build made one; else the demo, here.
        if (!DemoLake.copyTo(lake)) {
            run(
                    root,
                    dir.resolve("demo.log"),
                    20,
                    root.resolve("jobs/amocrm-etl").toString(),
                    "demo",
                    "--lake",
                    lake.toString());
        }
        assertTrue(Files.isDirectory(lake.resolve("marts/sales_funnel/_delta_log")), "the demo builds the marts");

        Path out = dir.resolve("executed");
        run(
                root,
                dir.resolve("notebooks.log"),
                20,
                root.resolve("jobs/notebooks").toString(),
                "run",
                "--lake",
                lake.toString(),
                "--out",
                out.toString());
        List<Path> books = NotebookFiles.all(NotebookFiles.DIR);
        assertEquals(3, books.size());
        for (Path nb : books) {
            Path executed = out.resolve(nb.getFileName());
            assertTrue(Files.exists(executed), "executed " + executed);
            assertEquals(List.of(), NotebookFiles.problems(executed), executed.toString());
            assertEquals(
                    NotebookFiles.charts(nb),
                    NotebookFiles.charts(executed),
                    "the run draws the charts committed in " + nb);
        }
    }

    private static void run(Path root, Path log, int minutes, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean done = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(done, String.join(" ", command) + " did not finish in " + minutes + " min:\n" + tail(output));
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + tail(output));
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }
}
