package io.amocrmetl.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.amocrmetl.cli.EtlException;
import io.amocrmetl.cli.ExitCode;
import io.amocrmetl.entity.Entities;
import io.amocrmetl.entity.EntitySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * {@code retention.*}: per-table age rules and VACUUM settings (issue "Retention"). Deleting is
 * irreversible, so every rule is checked at start: the table must be an entity table (never a
 * reference or system table), the column a timestamp of it, and N positive.
 */
public record RetentionSettings(Map<String, Rule> rules, int vacuumHours, boolean vacuumForce) {

    /** Rows older than {@code days} by {@code column} go. */
    public record Rule(String table, int days, String column) {
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
            EntitySpec spec = Entities.get(t);
            boolean timestamp = false;
            for (StructField f : spec.schema().fields()) {
                timestamp |= f.name().equals(column) && f.dataType().equals(DataTypes.TimestampType);
            }
            if (!timestamp) {
                throw EtlConfig.bad(base + ".column", "'" + column + "' is not a timestamp column of " + t, c);
            }
            rules.put(t, new Rule(t, days, column));
        }
        int hours = EtlConfig.get(c, "retention.vacuum-hours", c::getInt, "a whole number of hours");
        boolean force = EtlConfig.bool(c, "retention.vacuum-force");
        if (hours < 0) {
            throw EtlConfig.bad("retention.vacuum-hours", "must not be negative", c);
        }
        if (hours < 168 && !force) {
            throw EtlConfig.bad("retention.vacuum-hours", "is below Delta's safety default of 168 hours: concurrent "
                    + "readers and time travel may break. Set retention.vacuum-force = true to insist", c);
        }
        return new RetentionSettings(Map.copyOf(rules), hours, force);
    }

    /** DESIGN.md: created_at for events, notes and tasks; updated_at otherwise. */
    public static String defaultColumn(String table) {
        return switch (table) {
            case "events", "notes", "tasks", "unsorted" -> "created_at";
            default -> "updated_at";
        };
    }

    /** A key under retention.tables must be {@code <entity table>.days|column}. */
    static void checkKey(String key, ConfigValue value) {
        String[] parts = key.split("\\.");
        if (parts.length != 4 || !(parts[3].equals("days") || parts[3].equals("column"))) {
            throw new EtlException(ExitCode.BAD_CONFIG, "unknown config key '" + key + "'" + EtlConfig.where(value)
                    + ": a retention rule is retention.tables.<table>.days (and optionally .column)");
        }
        String table = parts[2];
        EntitySpec spec;
        try {
            spec = Entities.get(table);
        } catch (EtlException e) {
            String what = table.startsWith("_") ? "a system table" : "not a table";
            throw new EtlException(ExitCode.BAD_CONFIG, "config key '" + key + "'" + EtlConfig.where(value) + ": '"
                    + table + "' is " + what + "; retention applies to entity tables only");
        }
        if (spec.reference()) {
            throw new EtlException(ExitCode.BAD_CONFIG, "config key '" + key + "'" + EtlConfig.where(value) + ": '"
                    + table + "' is a reference table, refreshed whole each run; retention applies to entity tables only");
        }
    }
}
