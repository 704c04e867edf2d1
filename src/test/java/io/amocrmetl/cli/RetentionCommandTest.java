package io.amocrmetl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.core.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code retention} on the command line refuses a bad rule before anything runs (docs/retention.md):
 * exit 2 and one stderr line naming the key. No Spark, no
 * request: the config is checked first.
 */
class RetentionCommandTest {
    @TempDir
    Path dir;

    static int run(StringWriter err, StringWriter out, String... args) {
        CommandLine cl = EtlMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "retention.tables.users.days=30 | retention.tables.users.days",
                "retention.tables._journal.days=30 | retention.tables._journal.days",
                "retention.tables.deals.days=30 | retention.tables.deals.days",
                "retention.tables.leads.days=0 | retention.tables.leads.days",
                "retention.tables.leads.days=-1 | retention.tables.leads.days",
                "retention.vacuum-hours=1 | retention.vacuum-hours",
            })
    void aBadRuleExits2WithOneLineNamingTheKey(String set, String key) {
        StringWriter err = new StringWriter();
        int exit = run(err, new StringWriter(), "retention", "--dry-run", "--set", set);
        assertEquals(ExitCode.BAD_CONFIG.code, exit, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(
                err.toString().startsWith("amocrm-etl: config key '" + key + "'")
                        || err.toString().startsWith("amocrm-etl: unknown config key '" + key + "'"),
                err.toString());
    }

    @Test
    void aBadColumnInTheConfigFileExits2NamingTheKeyAndTheFile() throws Exception {
        Path f = dir.resolve("etl.conf");
        Files.writeString(f, "retention.tables.tasks { days = 30, column = complete_till }\n");
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, new StringWriter(), "retention", "--config", f.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(
                err.toString().contains("'retention.tables.tasks.column'")
                        && err.toString().contains("etl.conf"),
                err.toString());
    }

    @Test
    void theCommandIsRegisteredWithItsOptions() {
        StringWriter out = new StringWriter();
        assertEquals(0, run(new StringWriter(), out, "retention", "--help"));
        assertTrue(out.toString().contains("--dry-run") && out.toString().contains("--config"), out.toString());
    }
}
