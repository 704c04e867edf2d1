package io.amocrmetl.source;

import io.amocrmetl.catalog.Cursor;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A read's options resolved once into typed values, the way Iceberg's {@code SparkReadConf} does:
 * the rest of the reader takes this object, never the raw option map. Names are case-insensitive
 * (Spark hands some maps with the user's case, some lower-cased); a malformed value fails here,
 * as {@link ExitCode#BAD_CONFIG}, with a message naming the option. What each option means is on
 * its constant in {@link ReadOptions}.
 */
final class ReadConf {
    /** Every option, keys lower-cased: kept so the scan's own options can be layered on top. */
    private final Map<String, String> raw;

    private final EntitySpec spec;
    private final Path configFile;
    private final Map<String, String> configKeys;
    private final Long from;
    private final Long to;
    private final List<String> ids;
    private final List<String> entityTypes;
    private final Duration window;
    private final Integer partitions;
    private final Long accountId;
    private final Boolean apiFilters;
    private final String customersMode;
    private final List<Long> catalogs;
    private final Boolean fromInclusive;
    private final Boolean toInclusive;
    private final boolean readerPid;
    private final Integer eventsPageSize;

    private ReadConf(Map<String, String> raw) {
        this.raw = Map.copyOf(raw);
        this.spec = Entities.get(entity());
        OptionParser parse = new OptionParser(this.raw);
        String config = raw.get(ReadOptions.CONFIG);
        this.configFile = config == null ? null : Path.of(config);
        Map<String, String> keys = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (k.contains(".")) {
                keys.put(k, v);
            }
        });
        this.configKeys = Collections.unmodifiableMap(keys);
        this.from = parse.instant(ReadOptions.FROM);
        this.to = parse.instant(ReadOptions.TO);
        if ((from != null || to != null) && spec.cursor() == Cursor.NONE) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "options 'from'/'to' do not " + "apply to " + spec.name() + ": it is reference data, read whole");
        }
        this.ids = parse.list(ReadOptions.IDS);
        this.entityTypes = parse.list(ReadOptions.ENTITY_TYPES);
        this.window = parse.duration(ReadOptions.WINDOW);
        this.partitions = parse.positiveInt(ReadOptions.PARTITIONS);
        this.accountId = parse.whole(ReadOptions.ACCOUNT_ID);
        this.apiFilters = parse.bool(ReadOptions.API_FILTERS);
        this.customersMode = raw.get(ReadOptions.CUSTOMERS_MODE);
        this.catalogs = raw.containsKey(ReadOptions.CATALOGS) ? parse.longs(ReadOptions.CATALOGS) : null;
        this.fromInclusive = parse.bool(ReadOptions.FROM_INCLUSIVE);
        this.toInclusive = parse.bool(ReadOptions.TO_INCLUSIVE);
        this.readerPid = Boolean.TRUE.equals(parse.bool(ReadOptions.READER_PID));
        this.eventsPageSize = parse.positiveInt(ReadOptions.EVENTS_PAGE_SIZE);
    }

    /** Resolves {@code options} (any case); fails on a missing entity or any malformed value. */
    static ReadConf of(Map<String, String> options) {
        return new ReadConf(lowerCased(Map.of(), options));
    }

    /** These options with {@code more} layered on top (a scan's options over the table's). */
    ReadConf with(Map<String, String> more) {
        Map<String, String> merged = lowerCased(raw, more);
        return merged.equals(raw) ? this : new ReadConf(merged);
    }

    private static Map<String, String> lowerCased(Map<String, String> base, Map<String, String> more) {
        Map<String, String> out = new LinkedHashMap<>(base);
        more.forEach((k, v) -> {
            if (v != null) {
                out.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        return out;
    }

    private String entity() {
        String e = raw.get(ReadOptions.ENTITY);
        if (e == null || e.isBlank()) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "format(\"amocrm\") needs option(\"entity\", ...): one of "
                            + String.join(
                                    ", ",
                                    Entities.all().stream()
                                            .map(EntitySpec::name)
                                            .toList()));
        }
        return e.trim();
    }

    EntitySpec spec() {
        return spec;
    }

    /** The {@link ReadOptions#CONFIG} file, or null for the defaults and the keys given as options. */
    Path configFile() {
        return configFile;
    }

    /** The options that are configuration keys (a dot in the name), for {@code EtlConfig.load}. */
    Map<String, String> configKeys() {
        return configKeys;
    }

    /** {@link ReadOptions#FROM} as epoch seconds, or null. */
    Long from() {
        return from;
    }

    /** {@link ReadOptions#TO} as epoch seconds, or null. */
    Long to() {
        return to;
    }

    /** {@link ReadOptions#IDS}; empty when not given. */
    List<String> ids() {
        return ids;
    }

    /** {@link ReadOptions#ENTITY_TYPES}; empty when not given (every type). */
    List<String> entityTypes() {
        return entityTypes;
    }

    /** {@link ReadOptions#WINDOW}, or {@code fallback} (the configuration's window) when not given. */
    Duration window(Duration fallback) {
        return window == null ? fallback : window;
    }

    /** {@link ReadOptions#PARTITIONS}, or null for the planner's choice. */
    Integer partitions() {
        return partitions;
    }

    /** {@link ReadOptions#ACCOUNT_ID}, or null. */
    Long accountId() {
        return accountId;
    }

    /** {@link ReadOptions#API_FILTERS}, or null when not hinted. */
    Boolean apiFilters() {
        return apiFilters;
    }

    /** {@link ReadOptions#CUSTOMERS_MODE} as given, or null. */
    String customersMode() {
        return customersMode;
    }

    /** {@link ReadOptions#CATALOGS}: null when not hinted; empty when hinted empty (no lists). */
    List<Long> catalogs() {
        return catalogs;
    }

    /** {@link ReadOptions#FROM_INCLUSIVE}, or null when unknown. */
    Boolean fromInclusive() {
        return fromInclusive;
    }

    /** {@link ReadOptions#TO_INCLUSIVE}, or null when unknown. */
    Boolean toInclusive() {
        return toInclusive;
    }

    /** Whether rows end with {@link ReadOptions#PID_COLUMN}. */
    boolean readerPid() {
        return readerPid;
    }

    /** {@link ReadOptions#EVENTS_PAGE_SIZE}, or null. */
    Integer eventsPageSize() {
        return eventsPageSize;
    }

    /** The entity's schema, with {@link ReadOptions#PID_COLUMN} when {@link ReadOptions#READER_PID} is on. */
    StructType schema() {
        return readerPid ? spec.schema().add(ReadOptions.PID_COLUMN, DataTypes.LongType) : spec.schema();
    }
}
