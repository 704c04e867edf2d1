package io.amocrmetl.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.ingest.IngestJob;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.sandbox.Sandbox;
import io.amocrmetl.sandbox.SandboxSettings;
import io.amocrmetl.sandbox.data.AccountData;
import io.amocrmetl.sandbox.http.RequestRecord;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.testing.Canonical;
import io.amocrmetl.testing.ExpectedLake;
import io.amocrmetl.testing.LakeTemplate;
import io.amocrmetl.testing.SandboxConfig;
import io.amocrmetl.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention against a lake ingested from the sandbox (docs/retention.md).
 * Rules on four tables (by updated_at and by created_at); the rows that go
 * are the ones ground truth says are older than the cut-off, with their child rows, and every other
 * row and table is unchanged. The dry run changes no file and reports the counts the real run then
 * deletes. Later ingests, incremental and a historical reload, bring back only the row that was
 * updated after the cut-off: not the untouched ones, not one re-read by id after a link, not old
 * events read again for the status history, not an old task changed since (a created_at rule).
 */
class RetentionIT {
    /** The rules, each with rows on both sides: days back from the server's time. */
    static final Map<String, Integer> RULES = Map.of("leads", 180, "contacts", 200, "tasks", 120, "events", 90);

    @TempDir
    Path dir;

    final SparkSession spark = SparkTestSession.get();

    @Test
    void dryRunThenExactlyTheOlderRowsGoAndIngestDoesNotBringThemBack() throws IOException {
        try (Sandbox sandbox =
                Sandbox.start(SandboxSettings.defaults().withSeed(1111).withLeads(50))) {
            // The cut-off is a whole UTC day: stay clear of midnight, so every run here shares it.
            Instant now = sandbox.clock().now();
            if (now.plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.DAYS).isAfter(now)) {
                sandbox.clock().advance(Duration.ofMinutes(40));
            }
            Map<String, String> config = new LinkedHashMap<>(SandboxConfig.fast(sandbox, dir));
            config.put("lake.path", dir.resolve("lake").toString());
            LakeTemplate.copyTo(dir.resolve("lake"));
            config.put("history.initial-days", "400");
            config.put("ingest.margin", "0s");
            config.put("ingest.window", "400d");
            config.put("tables.unsorted.enabled", "false"); // companies stay: an entity table without a rule
            ingest(sandbox, config, null); // events feed lead_status_history; the events table itself comes later
            long account = sandbox.groundTruth().account().id();
            Lake lake = Lake.readOnly(spark, config.get("lake.path"));
            Path root = dir.resolve("lake");
            List<String> withData = Tables.all().stream()
                    .filter(LakeTable::partitioned)
                    .map(LakeTable::name)
                    .filter(t -> Files.isDirectory(root.resolve(t).resolve("account_id=" + account)))
                    .toList();
            List<String> ruled = new ArrayList<>();
            RULES.keySet().forEach(t -> {
                ruled.add(t);
                Tables.childrenOf(t).forEach(c -> ruled.add(c.name()));
            });
            Map<String, List<Map<String, Object>>> before = contents(
                    lake, account, withData.stream().filter(ruled::contains).toList());
            Map<String, String> filesBefore = new TreeMap<>();
            for (String t : withData) {
                filesBefore.put(t, checksum(root.resolve(t)));
            }

            Map<String, String> rules = new LinkedHashMap<>(config);
            RULES.forEach((t, days) -> rules.put("retention.tables." + t + ".days", String.valueOf(days)));
            Map<String, Long> tree = tree(dir.resolve("lake"));
            RetentionJob.Result dry = retention(rules, true);
            assertEquals(tree, tree(dir.resolve("lake")), "a dry run changes no file: every table keeps its version");

            Instant serverDay = sandbox.clock().now().truncatedTo(ChronoUnit.DAYS);
            RetentionJob.Result real = retention(rules, false);
            assertEquals(dry.cutoffs(), real.cutoffs());
            assertEquals(dry.rows(), real.rows(), "the dry run's counts are the ones deleted");

            // Exactly the rows ground truth says are older go, with their child rows.
            ExpectedLake truth = new ExpectedLake(sandbox.groundTruth(), null, null);
            Map<String, List<Map<String, Object>>> after = contents(
                    lake, account, withData.stream().filter(ruled::contains).toList());
            Set<String> judged = new HashSet<>(List.of(Tables.SYNC_STATE, Tables.JOURNAL));
            Map<String, Set<Object>> doomed = new TreeMap<>();
            for (String t : RULES.keySet()) {
                Instant cutoff = real.cutoffs().get(t);
                assertEquals(
                        serverDay.minus(Duration.ofDays(RULES.get(t))),
                        cutoff,
                        t + ": the start of the day N days back");
                Set<Object> old = new HashSet<>();
                truth.table(t).stream()
                        .filter(r -> (Long) r.get(column(t)) < cutoff.getEpochSecond())
                        .forEach(r -> old.add(r.get("id")));
                doomed.put(t, old);
                judged.add(t);
                Row state = lake.read(Tables.SYNC_STATE, account)
                        .where("table_name = '" + t + "'")
                        .first();
                assertEquals(
                        cutoff,
                        state.getTimestamp(state.fieldIndex("retention_cutoff")).toInstant(),
                        t);
                if (t.equals("events")) {
                    assertEquals(0L, real.rows().get(t), "the events table is not loaded yet; its cut-off is recorded");
                    continue;
                }
                // A small account still has rows on both sides of every cut-off, or "exactly" proves nothing.
                assertFalse(old.isEmpty(), t + ": some rows are older than the cut-off");
                assertLost(t, before, after, "id", old, real, true);
                for (LakeTable child : Tables.childrenOf(t)) {
                    assertLost(child.name(), before, after, child.parentKey(), old, real, false);
                    judged.add(child.name());
                }
                assertFalse(
                        state.getTimestamp(state.fieldIndex("coverage_start"))
                                .toInstant()
                                .isBefore(cutoff),
                        t + ": coverage no longer reaches below the cut-off");
            }
            for (String child : List.of(
                    "leads_custom_field_values", "leads_tags", "lead_contacts", "contacts_custom_field_values")) {
                assertTrue(real.rows().get(child) > 0, child + ": child rows went with their parents: " + real.rows());
            }
            for (String t : withData) {
                if (!judged.contains(t)) {
                    // Not a file of a table without a rule changed: the strictest "unchanged by checksum".
                    assertEquals(filesBefore.get(t), checksum(root.resolve(t)), t + " is unchanged");
                }
            }
            Map<String, Long> journal = new TreeMap<>();
            for (Row j : lake.read(Tables.JOURNAL, account)
                    .where("job = 'retention' AND run_id = '" + real.runId() + "'")
                    .collectAsList()) {
                if (real.rows().containsKey(j.<String>getAs("table_name"))) {
                    journal.put(j.getAs("table_name"), j.getAs("rows_deleted"));
                }
            }
            assertEquals(new TreeMap<>(real.rows()), journal, "the journal holds each table's count");

            // Later ingests bring back only what changed after the cut-off (and is no longer older).
            AccountData a = sandbox.account();
            List<Lead> oldLeads = sandbox.groundTruth().leads().live().stream()
                    .filter(l -> doomed.get("leads").contains(l.id())
                            && !l.contacts().isEmpty()
                            && l.customFields() != null
                            && !l.customFields().isEmpty())
                    .sorted((x, y) -> Long.compare(x.id(), y.id()))
                    .toList();
            Lead updated = oldLeads.get(0);
            Lead linked = oldLeads.get(1);
            long keptContact = sandbox.groundTruth().contacts().live().stream()
                    .filter(c -> !doomed.get("contacts").contains(c.id()))
                    .findFirst()
                    .orElseThrow()
                    .id();
            long oldTask = sandbox.groundTruth().tasks().live().stream()
                    .filter(x -> doomed.get("tasks").contains(x.id()))
                    .findFirst()
                    .orElseThrow()
                    .id();
            a.updateLeadPrice(updated.id(), 424_242);
            sandbox.fidelity().linkBumpsUpdatedAt = false; // so the link makes ingest re-read the lead by id, still old
            a.link(linked.id(), keptContact, false);
            a.updateTask(oldTask, x -> x.withText("changed after retention"));
            config.put("tables.events.enabled", "true"); // its first load reads history.initial-days (400) back
            sandbox.requests().clear();
            ingest(sandbox, config, null);
            assertTrue(
                    requested(sandbox, "/api/v4/leads", "filter[id]", String.valueOf(linked.id())),
                    "the linked lead was read again by id");
            assertTrue(
                    readFrom(sandbox, "/api/v4/events", "created_at")
                            < real.cutoffs().get("events").getEpochSecond(),
                    "events older than their cut-off were read (for lead_status_history)");
            sandbox.requests().clear();
            ingest(
                    sandbox,
                    config,
                    new IngestJob.Options(
                            List.of("leads", "contacts", "tasks"),
                            sandbox.clock().now().minus(Duration.ofDays(400)),
                            null,
                            true,
                            null,
                            null));
            for (String t : List.of("leads", "contacts")) {
                // One second below at most: bounds go one second wide while the API's inclusiveness is unknown.
                assertTrue(
                        readFrom(sandbox, "/api/v4/" + t, "updated_at")
                                >= real.cutoffs().get(t).getEpochSecond() - 1,
                        t + ": the historical reload starts at the cut-off");
            }

            ExpectedLake later = new ExpectedLake(sandbox.groundTruth(), null, null);
            Set<Object> expectedLeads = new HashSet<>();
            later.table("leads").stream()
                    .filter(r -> !doomed.get("leads").contains(r.get("id"))
                            || r.get("id").equals(updated.id()))
                    .forEach(r -> expectedLeads.add(r.get("id")));
            assertEquals(
                    expectedLeads, ids(lake, account, "leads"), "only the lead updated after the cut-off came back");
            for (String t : List.of("leads", "leads_custom_field_values", "leads_tags", "lead_contacts")) {
                LakeTable lt = Tables.get(t);
                String pk = lt.role() == LakeTable.Role.CHILD ? lt.parentKey() : "id";
                List<Map<String, Object>> want = later.table(t).stream()
                        .filter(r -> r.get(pk).equals(updated.id()))
                        .toList();
                List<Map<String, Object>> have = Canonical.rows(lake.read(t, account)
                        .where("`" + pk + "` = " + updated.id())
                        .collectAsList());
                Canonical.assertSameRows(t + " of the lead updated after the cut-off", lt.key(), want, have, Set.of());
                assertEquals(
                        0,
                        lake.read(t, account)
                                .where("`" + pk + "` = " + linked.id())
                                .count(),
                        t + ": the lead re-read after its link stays out");
            }
            for (String t : RULES.keySet()) {
                long old = lake.read(t, account)
                        .where(column(t) + " < timestamp_seconds("
                                + real.cutoffs().get(t).getEpochSecond() + ")")
                        .where(t.equals("leads") ? "id <> " + updated.id() : "true")
                        .count();
                assertEquals(0, old, t + ": nothing older than the cut-off came back");
            }
            assertTrue(lake.read("events", account).count() > 0, "the events table loaded its newer events");
            assertEquals(
                    0,
                    lake.read("tasks", account).where("id = " + oldTask).count(),
                    "an old task changed since is still older than the cut-off by created_at, so it stays out");
            assertTrue(
                    lake.read(Tables.LEAD_STATUS_HISTORY, account)
                                    .where("changed_at < timestamp_seconds("
                                            + real.cutoffs().get("events").getEpochSecond() + ")")
                                    .count()
                            > 0,
                    "the status history keeps its past");
        }
    }

    static String column(String table) {
        return table.equals("tasks") || table.equals("events") ? "created_at" : "updated_at";
    }

    /**
     * The table lost exactly the rows whose {@code key} is in {@code doomed}, and the count reported
     * is theirs; every other row is unchanged.
     */
    static void assertLost(
            String table,
            Map<String, List<Map<String, Object>>> before,
            Map<String, List<Map<String, Object>>> after,
            String key,
            Set<Object> doomed,
            RetentionJob.Result real,
            boolean bothSides) {
        List<Map<String, Object>> kept = new ArrayList<>();
        long lost = 0;
        for (Map<String, Object> r : before.getOrDefault(table, List.of())) {
            if (doomed.contains(r.get(key))) {
                lost++;
            } else {
                kept.add(r);
            }
        }
        if (bothSides) {
            assertTrue(lost > 0, table + ": rows older than the cut-off existed");
            assertFalse(kept.isEmpty(), table + ": rows newer than the cut-off existed");
        }
        assertEquals(texts(kept), texts(after.getOrDefault(table, List.of())), table + ": exactly the older rows went");
        assertEquals(lost, (long) real.rows().get(table), table + ": the count reported");
    }

    /** Every table's rows (sorted by their text), without the per-run columns. */
    static Map<String, List<Map<String, Object>>> contents(Lake lake, long account, List<String> tables) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (String t : tables) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> r : Canonical.rows(lake.read(t, account).collectAsList())) {
                Map<String, Object> m = new TreeMap<>(r);
                ExpectedLake.IGNORED.forEach(m::remove);
                rows.add(m);
            }
            rows.sort((x, y) -> x.toString().compareTo(y.toString()));
            out.put(t, rows);
        }
        return out;
    }

    static List<String> texts(List<Map<String, Object>> rows) {
        return rows.stream().map(Object::toString).toList();
    }

    /** A folder's files, names and bytes, as one hash. */
    static String checksum(Path folder) throws IOException {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            for (String f : tree(folder).keySet()) {
                d.update((f + "\n").getBytes(StandardCharsets.UTF_8));
                d.update(Files.readAllBytes(folder.resolve(f)));
            }
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<Object> ids(Lake lake, long account, String table) {
        Set<Object> out = new HashSet<>();
        lake.read(table, account).select("id").collectAsList().forEach(r -> out.add(r.get(0)));
        return out;
    }

    /** Every file under the lake with its size: what a change of any table would change. */
    static Map<String, Long> tree(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.size(p));
            }
        }
        return out;
    }

    void ingest(Sandbox sandbox, Map<String, String> config, IngestJob.Options options) {
        sandbox.clock().advance(Duration.ofSeconds(2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            IngestJob.run(
                    spark,
                    EtlConfig.load(null, config),
                    config,
                    options == null ? new IngestJob.Options(null) : options,
                    p);
        }
        System.out.print(out.toString(StandardCharsets.UTF_8));
    }

    RetentionJob.Result retention(Map<String, String> config, boolean dryRun) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            RetentionJob.Result r =
                    RetentionJob.run(spark, EtlConfig.load(null, config), new RetentionJob.Options(dryRun), p);
            System.out.print(out.toString(StandardCharsets.UTF_8));
            return r;
        }
    }

    static boolean requested(Sandbox sandbox, String path, String param, String value) {
        for (RequestRecord r : sandbox.requests().snapshot()) {
            String target = URLDecoder.decode(r.target(), StandardCharsets.UTF_8);
            if (r.path().equals(path) && target.contains(param) && target.matches(".*[=,]" + value + "(&.*|,.*|$)")) {
                return true;
            }
        }
        return false;
    }

    /** The lowest {@code filter[<cursor>][from]} (or comma form) any request to {@code path} asked for. */
    static long readFrom(Sandbox sandbox, String path, String cursor) {
        long min = Long.MAX_VALUE;
        Pattern from = Pattern.compile("filter\\[" + cursor + "\\](?:\\[from\\])?=(\\d+)");
        for (RequestRecord r : sandbox.requests().snapshot()) {
            if (r.path().equals(path)) {
                Matcher m = from.matcher(URLDecoder.decode(r.target(), StandardCharsets.UTF_8));
                while (m.find()) {
                    min = Math.min(min, Long.parseLong(m.group(1)));
                }
            }
        }
        return min;
    }
}
