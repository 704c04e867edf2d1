package io.amocrmetl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amocrmetl.cli.EtlMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Airflow DAG's command lines without Airflow (it cannot be installed here; docs/airflow.md):
 * rendered from jobs/airflow/amocrm_etl_jobs.json in Java, they
 * equal what the DAG's own Python renders, and parse as the product's commands. The DAG's stub test
 * (python3 unittest with stub airflow modules) runs here too, so `mvn test` and CI run it.
 */
class AirflowJobsTest {
    static final String JAR = "/opt/amocrm-etl/amocrm-etl-0.1.0-spark.jar";
    static final Instant START = Instant.parse("2025-03-31T00:00:00Z");
    static final Instant END = START.plus(Duration.ofDays(1));
    static final AirflowJobs.Account ACME =
            new AirflowJobs.Account("acme", "/etc/amocrm-etl/acme.conf", Map.of("spark.executor.memory", "2g"));
    /** Commands docs/command-line.md plans but the product does not have yet; until then their lines are checked for shape. */
    static final List<String> COMING = List.of("reconcile", "retention");

    @TempDir
    Path dir;

    record Run(int exit, String out) {}

    static Run python(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("python.out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "python3 did not finish: " + cmd);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The Airflow Variable of one account, as a file for amocrm_etl_jobs.py. */
    static Path variable(Path dir, AirflowJobs.Account account, String application) throws Exception {
        ObjectMapper json = new ObjectMapper();
        var acct = json.createObjectNode().put("config", account.config());
        account.conf().forEach(acct.putObject("conf")::put);
        var v = json.createObjectNode().put("application", application);
        v.putObject("accounts").set(account.name(), acct);
        Path file = dir.resolve("variable.json");
        json.writeValue(file.toFile(), v);
        return file;
    }

    /** The command line the DAG's Python renders for a job (amocrm_etl_jobs.py argv). */
    static List<String> pythonArgv(
            Path dir,
            Path variable,
            String job,
            String account,
            String master,
            String deployMode,
            Instant start,
            Instant end)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                AirflowJobs.DIR.resolve("amocrm_etl_jobs.py").toString(),
                "argv",
                "--settings",
                variable.toString(),
                "--account",
                account,
                "--job",
                job,
                "--master",
                master,
                "--data-interval-start",
                start.toString().replace("Z", "+00:00"),
                "--data-interval-end",
                end.toString().replace("Z", "+00:00")));
        if (deployMode != null) {
            args.addAll(List.of("--deploy-mode", deployMode));
        }
        Run r = python(dir, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.out());
        List<String> out = new ArrayList<>();
        new ObjectMapper().readTree(r.out()).path("argv").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void javaAndTheDagRenderTheSameCommandLines() throws Exception {
        AirflowJobs jobs = AirflowJobs.load();
        assertEquals(List.of("ingest", "reconcile", "retention"), jobs.jobs());
        Path variable = variable(dir, ACME, JAR);
        for (String job : jobs.jobs()) {
            for (String[] mode :
                    new String[][] {{"yarn", "client"}, {"spark://10.0.0.5:7077", null}, {"local[2]", null}}) {
                assertEquals(
                        pythonArgv(dir, variable, job, "acme", mode[0], mode[1], START, END),
                        jobs.argv(job, ACME, JAR, mode[0], mode[1], START, END),
                        job + " on " + mode[0]);
            }
        }
    }

    @Test
    void theLinesAreTheProductsCommands() throws Exception {
        AirflowJobs jobs = AirflowJobs.load();
        for (String job : jobs.jobs()) {
            List<String> argv = jobs.argv(job, ACME, JAR, "yarn", "client", START, END);
            List<String> args = argv.subList(argv.indexOf(JAR) + 1, argv.size());
            assertEquals(job, args.get(0));
            assertEquals(ACME.config(), args.get(args.indexOf("--config") + 1));
            assertTrue(
                    argv.containsAll(List.of(
                            "--class",
                            "io.amocrmetl.cli.EtlMain",
                            "--conf",
                            "spark.speculation=false",
                            "--conf",
                            "spark.executor.memory=2g")),
                    argv.toString());
            CommandLine cl = EtlMain.commandLine();
            if (cl.getSubcommands().containsKey(job)) {
                cl.parseArgs(args.toArray(String[]::new)); // throws, naming the option, when the line is wrong
            } else {
                assertTrue(COMING.contains(job), job + " is no command of the product");
                System.out.println(
                        job + ": not a command of this build yet; its line is checked for shape only: " + args);
            }
        }
        List<String> ingest = jobs.args("ingest", ACME);
        long maxMinutes = Long.parseLong(ingest.get(ingest.indexOf("--max-minutes") + 1));
        assertTrue(maxMinutes < jobs.job("ingest").path("slot_minutes").asLong(), "ingest stops before its slot ends");
        List<String> reconcile = jobs.argv("reconcile", ACME, JAR, "yarn", "client", START, END);
        assertEquals(START, Instant.parse(reconcile.get(reconcile.indexOf("--from") + 1)), reconcile.toString());
        assertEquals(END, Instant.parse(reconcile.get(reconcile.indexOf("--to") + 1)), reconcile.toString());
        assertTrue(reconcile.contains("--max-requests"), "reconcile is bounded");
    }

    @Test
    void deltaComesInTheVersionTheBuildUses() throws Exception {
        AirflowJobs jobs = AirflowJobs.load();
        String version = jobs.packages().substring(jobs.packages().lastIndexOf(':') + 1);
        assertTrue(jobs.packages().startsWith("io.delta:delta-spark_2.13:"), jobs.packages());
        assertTrue(
                System.getProperty("java.class.path").contains("delta-spark_2.13-" + version + ".jar"),
                "the tests run Delta " + version);
        for (String excluded : jobs.excludedPackages()) {
            assertFalse(
                    excluded.startsWith("io.delta:") || excluded.startsWith("io.unitycatalog:"),
                    "only what Spark ships is excluded, never Delta's own: " + excluded);
        }
    }

    @Test
    void theDagStubTestPasses() throws Exception {
        Run r = python(dir, "-m", "unittest", "discover", "-s", AirflowJobs.DIR.toString(), "-p", "test_*.py", "-v");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("\nOK"), r.out());
    }
}
