package io.amocrmetl.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.cli.EtlMain;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.testing.SandboxConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code webhooks install | status | uninstall} against the sandbox's /api/v4/webhooks
 * (docs/webhooks.md): installing twice is a no-op, status shows each setting and a webhook
 * the sandbox disabled, install enables it again, uninstall removes it. No Spark.
 */
class WebhooksCommandIT {
    static final String SECRET = "/amocrm/hooks/9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a";
    static final String DESTINATION = "https://etl.example.com" + SECRET;

    @TempDir
    Path dir;

    final List<String> outputs = new ArrayList<>();

    /** Runs the command line with System.out captured; returns {exit code, stdout, stderr}. */
    Object[] run(Map<String, String> set, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        set.forEach((k, v) -> {
            all.add("--set");
            all.add(k + "=" + v);
        });
        CommandLine cl = EtlMain.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(all.toArray(new String[0]));
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.print(text + err);
        outputs.add(text);
        outputs.add(err.toString());
        return new Object[] {code, text, err.toString()};
    }

    long posts(Sandbox sandbox) {
        return sandbox.requests().snapshot().stream()
                .filter(r -> r.method().equals("POST") && r.target().startsWith("/api/v4/webhooks"))
                .count();
    }

    @Test
    void installTwiceStatusDisabledReinstallUninstall() throws Exception {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(9).withLeads(10))) {
            Map<String, String> set = new java.util.LinkedHashMap<>(SandboxConfig.fast(sandbox, dir));
            set.put("webhooks.destination", DESTINATION);
            set.put("webhooks.landing-path", dir.resolve("landing").toString());

            Object[] r = run(set, "webhooks", "install");
            assertEquals(0, r[0], (String) r[2]);
            assertTrue(
                    ((String) r[1])
                            .contains("webhooks install: installed for https://etl.example.com/*** (secret path)"),
                    (String) r[1]);
            assertEquals(1, sandbox.webhooks().hooks().size());
            assertEquals(
                    Set.copyOf(WebhookSubscription.SETTINGS),
                    Set.copyOf(sandbox.webhooks().hooks().get(0).settings()));
            assertEquals(
                    List.of(
                            "delete_unsorted",
                            "delete_lead",
                            "delete_contact",
                            "delete_company",
                            "delete_task",
                            "restore_lead",
                            "restore_contact",
                            "restore_company"),
                    WebhookSubscription.SETTINGS);
            var account = sandbox.groundTruth().account();
            assertEquals(
                    new AccountIdentity(account.id(), account.subdomain()),
                    AccountIdentity.load(new LocalFiles(dir.resolve("landing")), "amocrm"),
                    "install keeps the account the receiver accepts");
            assertEquals(1, posts(sandbox));

            r = run(set, "webhooks", "install");
            assertEquals(0, r[0]);
            assertTrue(
                    ((String) r[1]).contains("already installed") && ((String) r[1]).contains("nothing changed"),
                    (String) r[1]);
            assertEquals(1, posts(sandbox), "installing twice sends no subscription");

            r = run(set, "webhooks", "status");
            assertEquals(0, r[0]);
            String status = (String) r[1];
            assertTrue(status.contains(": enabled"), status);
            for (String s : WebhookSubscription.SETTINGS) {
                assertTrue(
                        status.lines().anyMatch(l -> l.trim().startsWith(s + " ") && l.contains("subscribed")),
                        s + "\n" + status);
            }

            sandbox.webhooks().disable(DESTINATION);
            r = run(set, "webhooks", "status");
            assertTrue(((String) r[1]).contains("DISABLED by amoCRM"), (String) r[1]);

            r = run(set, "webhooks", "install");
            assertTrue(((String) r[1]).contains("enabled again (amoCRM had disabled it)"), (String) r[1]);
            assertFalse(sandbox.webhooks().hooks().get(0).disabled());
            assertEquals(2, posts(sandbox));

            // Settings someone changed by hand are put back, and status names what is off.
            sandbox.webhooks().subscribe(DESTINATION, List.of("delete_lead", "add_lead"), 1, account.currentUserId());
            r = run(set, "webhooks", "status");
            assertTrue(
                    ((String) r[1]).lines().anyMatch(l -> l.contains("delete_task") && l.contains("MISSING")),
                    (String) r[1]);
            assertTrue(((String) r[1]).lines().anyMatch(l -> l.contains("add_lead") && l.contains("extra")), (String)
                    r[1]);
            r = run(set, "webhooks", "install");
            assertTrue(
                    ((String) r[1])
                            .contains(
                                    "settings replaced (added delete_unsorted, delete_contact, delete_company, delete_task, "
                                            + "restore_lead, restore_contact, restore_company; dropped add_lead)"),
                    (String) r[1]);

            r = run(set, "webhooks", "uninstall");
            assertEquals(0, r[0]);
            assertTrue(((String) r[1]).contains("removed"), (String) r[1]);
            assertEquals(List.of(), sandbox.webhooks().hooks());
            r = run(set, "webhooks", "uninstall");
            assertTrue(((String) r[1]).contains("nothing changed"), (String) r[1]);
            r = run(set, "webhooks", "status");
            assertTrue(((String) r[1]).contains("no webhook for"), (String) r[1]);

            assertTrue(
                    sandbox.requests().snapshot().stream()
                            .noneMatch(x -> x.target().contains("9d8c7b6a")),
                    "the secret never goes into a URL");
        }
        for (String o : outputs) {
            assertFalse(o.contains("9d8c7b6a"), "the secret path never reaches the output:\n" + o);
        }
    }

    @Test
    void withoutADestinationEveryCommandExits2NamingTheKey() {
        for (String c : List.of("install", "status", "uninstall", "serve")) {
            Object[] r = run(
                    Map.of("amocrm.base-url", "http://127.0.0.1:9", "amocrm.auth.long-lived-token", "x"),
                    "webhooks",
                    c);
            assertEquals(2, r[0], c);
            assertEquals(1, ((String) r[2]).lines().count(), (String) r[2]);
            assertTrue(((String) r[2]).contains("'webhooks.destination' is not set"), (String) r[2]);
        }
    }
}
