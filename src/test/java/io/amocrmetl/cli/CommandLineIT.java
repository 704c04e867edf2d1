package io.amocrmetl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The product's command line in-process: exit codes and one-line errors (DESIGN.md "Command line"). */
class CommandLineIT {
    static int run(StringWriter err, String... args) {
        CommandLine cl = EtlMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    /** done-means 6: a bad key exits 2 with one line naming it, before anything else runs. */
    @Test
    void aBadKeyExits2WithOneLine() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "ingest", "--set", "amocrm.rate-limit.requests-per-second=9"));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("amocrm-etl: config key 'amocrm.rate-limit.requests-per-second'"), err.toString());
        StringWriter unknown = new StringWriter();
        assertEquals(2, run(unknown, "ingest", "--set", "tables.leads.enabeld=true"));
        assertTrue(unknown.toString().contains("unknown config key 'tables.leads.enabeld'"), unknown.toString());
    }

    @Test
    void anUnknownOptionExits2() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "ingest", "--frm", "2025-01-01"));
        assertTrue(err.toString().contains("--frm"), err.toString());
    }

    @Test
    void ingestWithoutAnAccountUrlExits2() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "ingest", "--set", "amocrm.auth.long-lived-token=x"));
        assertTrue(err.toString().contains("amocrm.base-url"), err.toString());
    }
}
