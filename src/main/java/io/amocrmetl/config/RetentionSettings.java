package io.amocrmetl.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.core.EditDistance;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * {@code retention.*}: per-table age rules and the lake's maintenance settings (docs/retention.md).
 * Deleting is irreversible, so every rule is checked at start: the table
 * must be an entity table (never a reference, child, analysis or system table), the column its
 * {@code created_at} or {@code updated_at}, and N positive. Only those two, because neither is
 * later than the ingest cursor: ingest can then skip what lies below the cut-off and coverage stays
 * true (docs/retention.md).
 *
 * @param vacuumHours VACUUM keeps removed files this long (also the tables' {@code delta.deletedFileRetentionDuration})
 * @param vacuumForce whether {@code vacuumHours} may be below Delta's safety default of 168 hours
 * @param logDays Delta log entries are kept this long ({@code delta.logRetentionDuration})
 * @param optimizeMinFiles a table's account partition is compacted once it holds this many small files
 */
public record RetentionSettings(
        Map<String, Rule> rules, int vacuumHours, boolean vacuumForce, int logDays, int optimizeMinFiles) {
    /** Delta's own default for {@code delta.deletedFileRetentionDuration}, below which VACUUM refuses by default. */
    public static final int DELTA_SAFE_VACUUM_HOURS = 168;
    /** The columns a rule may judge age by (see the class comment). */
    static final List<String> AGE_COLUMNS = List.of(Columns.CREATED_AT, Columns.UPDATED_AT);

    /** Rows older than {@code days} by {@code column} go. */
    public record Rule(String table, int days, String column) {
        /**
         * The cut-off for a run at {@code now}: the start (UTC) of the day {@code days} days back.
         * Rows whose column is before it go. Whole days make every run of one day agree, so a dry
         * run in the morning reports exactly what the afternoon's run deletes.
         */
        public Instant cutoff(Instant now) {
            return now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days));
        }
    }

    static RetentionSettings from(Config c) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (String t : EtlConfig.children(c, "retention.tables")) {
            String base = "retention.tables." + t;
            if (!c.hasPath(base + ".days")) {
                throw EtlConfig.bad(base + ".days", "is missing: a rule needs days = N", c);
            }
            int days = EtlConfig.get(c, base + ".days", c::getInt, "a whole number of days");
            if (days <= 0) {
                throw EtlConfig.bad(base + ".days", "must be greater than 0, got " + days, c);
            }
            String column = c.hasPath(base + ".column") ? EtlConfig.string(c, base + ".column") : defaultColumn(t);
            checkColumn(c, base + ".column", t, column);
            rules.put(t, new Rule(t, days, column));
        }
        int hours = EtlConfig.get(c, "retention.vacuum-hours", c::getInt, "a whole number of hours");
        boolean force = EtlConfig.bool(c, "retention.vacuum-force");
        if (hours < 0) {
            throw EtlConfig.bad("retention.vacuum-hours", "must not be negative", c);
        }
        if (hours < DELTA_SAFE_VACUUM_HOURS && !force) {
            throw EtlConfig.bad(
                    "retention.vacuum-hours",
                    "is below Delta's safety default of " + DELTA_SAFE_VACUUM_HOURS
                            + " hours: concurrent readers and time travel may break. Set retention.vacuum-force = true to insist",
                    c);
        }
        int logDays = EtlConfig.positiveInt(c, "retention.log-days");
        if (logDays * 24L < hours) {
            // Delta refuses it too (vacuum.enforceDeletedFileAndLogRetentionDurationCompatibility).
            throw EtlConfig.bad(
                    "retention.log-days",
                    "must cover retention.vacuum-hours (" + hours + " h): the log has "
                            + "to outlive the removed files it names, got " + logDays + " days",
                    c);
        }
        int minFiles = EtlConfig.positiveInt(c, "retention.optimize-min-files");
        if (minFiles < 2) {
            throw EtlConfig.bad("retention.optimize-min-files", "must be at least 2 (one file is already compact)", c);
        }
        return new RetentionSettings(Map.copyOf(rules), hours, force, logDays, minFiles);
    }

    /** The rule of a table, or null. */
    public Rule rule(String table) {
        return rules.get(table);
    }

    /**
     * The age column of a table: its rule's, else the default (a cut-off recorded by an earlier
     * run outlives a rule removed since, until the next retention run lifts it).
     */
    public String column(String table) {
        Rule r = rules.get(table);
        return r != null ? r.column() : defaultColumn(table);
    }

    /** The default age column (docs/retention.md): created_at for events, notes and tasks (and unsorted, which has nothing else); updated_at otherwise. */
    public static String defaultColumn(String table) {
        return EntityFacts.ageColumnOf(table);
    }

    private static void checkColumn(Config c, String key, String table, String column) {
        LakeTable t = Tables.get(table);
        List<String> timestamps = new ArrayList<>();
        StructField field = null;
        for (StructField f : t.schema().fields()) {
            if (f.dataType().equals(DataTypes.TimestampType) && !f.name().startsWith("_")) {
                timestamps.add(f.name());
            }
            if (f.name().equals(column)) {
                field = f;
            }
        }
        List<String> allowed = AGE_COLUMNS.stream().filter(timestamps::contains).toList();
        if (field == null || column.startsWith("_")) {
            throw EtlConfig.bad(key, "'" + column + "' is not a column of " + table + "; one of " + allowed, c);
        }
        if (!field.dataType().equals(DataTypes.TimestampType)) {
            throw EtlConfig.bad(
                    key, "'" + column + "' is not a timestamp column of " + table + "; one of " + allowed, c);
        }
        if (!allowed.contains(column)) {
            throw EtlConfig.bad(
                    key,
                    "'" + column + "' cannot judge age: it may be later than the updated_at ingest reads "
                            + "by, so old rows would come back; one of " + allowed,
                    c);
        }
    }

    /** A key under retention.tables must be {@code <entity table>.days|column}. */
    static void checkKey(String key, ConfigValue value) {
        String[] parts = key.split("\\.");
        if (parts.length != 4 || !(parts[3].equals("days") || parts[3].equals("column"))) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "unknown config key '" + key + "'" + EtlConfig.where(value)
                            + ": a retention rule is retention.tables.<table>.days (and optionally .column)");
        }
        String table = parts[2];
        String why = refusal(table);
        if (why != null) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "config key '" + key + "'" + EtlConfig.where(value) + ": '" + table + "' " + why);
        }
    }

    /** Why a table cannot have a rule, or null when it can. */
    static String refusal(String table) {
        LakeTable t = Tables.all().stream()
                .filter(x -> x.name().equals(table))
                .findFirst()
                .orElse(null);
        if (t == null) {
            List<String> entities = Tables.all().stream()
                    .filter(x -> x.role() == LakeTable.Role.ENTITY)
                    .map(LakeTable::name)
                    .toList();
            String near = entities.stream()
                    .filter(e -> EditDistance.between(e, table) <= 3)
                    .findFirst()
                    .map(e -> "; did you mean '" + e + "'?")
                    .orElse("; one of " + entities);
            return "is not a table of the lake" + near;
        }
        return switch (t.role()) {
            case ENTITY -> null;
            case REFERENCE -> "is a reference table, refreshed whole each run; retention applies to entity tables only";
            case CHILD -> "is a child table: its rows go with their parent's; set the rule on '" + t.entity() + "'";
            case ANALYTIC ->
                "is built from events for analysis and keeps its whole history; retention applies to entity "
                        + "tables only";
            case SYSTEM -> "is a system table (the product's own bookkeeping); retention applies to entity tables only";
        };
    }
}
