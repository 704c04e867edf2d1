package io.amocrmetl.source;

import java.util.HashSet;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.catalog.Cursor;
import io.amocrmetl.catalog.EntitySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsPushDownV2Filters;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what Spark pushes: the columns it needs (which decide {@code with=}, reference §3.4)
 * and the predicates the API can apply ({@link FilterTranslator}). Every predicate also stays
 * with Spark, which re-checks it.
 */
final class AmoScanBuilder implements ScanBuilder, SupportsPushDownV2Filters, SupportsPushDownRequiredColumns {
    private static final Logger LOG = LoggerFactory.getLogger(AmoScanBuilder.class);
    private final EntitySpec spec;
    private final Map<String, String> options;
    private StructType required;
    private final Pushdown pushdown;
    private Predicate[] pushed = new Predicate[0];

    AmoScanBuilder(EntitySpec spec, Map<String, String> options) {
        this.spec = spec;
        this.options = options;
        this.required = ReadOptions.schema(spec, options);
        this.pushdown = fromOptions(spec, options);
    }

    /** The bounds and ids given as options (from, to, ids, entity_types). */
    static Pushdown fromOptions(EntitySpec spec, Map<String, String> options) {
        Pushdown p = new Pushdown();
        Long from = ReadOptions.instant(options, ReadOptions.FROM);
        Long to = ReadOptions.instant(options, ReadOptions.TO);
        if (from != null || to != null) {
            if (spec.cursor() == Cursor.NONE) {
                throw new EtlException(ExitCode.BAD_CONFIG, "options 'from'/'to' do not "
                        + "apply to " + spec.name() + ": it is reference data, read whole");
            }
            p.cursor(from, to);
            p.described.add(spec.cursor().field + " in [" + (from == null ? "-∞" : from) + ", " + (to == null ? "open" : to) + "]");
        }
        List<String> ids = ReadOptions.list(options, ReadOptions.IDS);
        if (!ids.isEmpty()) {
            p.ids(ids);
            p.described.add("id IN " + ids.size() + " ids");
        }
        List<String> types = ReadOptions.list(options, ReadOptions.ENTITY_TYPES);
        if (!types.isEmpty()) {
            p.entityTypes = new HashSet<>(types);
            p.described.add("entity_type IN " + types);
        }
        return p;
    }

    @Override
    public void pruneColumns(StructType requiredSchema) {
        // Keep the entity's own (full) types for the named columns: nested structs are read whole.
        List<StructField> keep = new ArrayList<>();
        StructType full = ReadOptions.schema(spec, options);
        for (String name : requiredSchema.fieldNames()) {
            keep.add(full.apply(name));
        }
        this.required = new StructType(keep.toArray(new StructField[0]));
    }

    @Override
    public Predicate[] pushPredicates(Predicate[] predicates) {
        List<Predicate> used = new ArrayList<>();
        for (Predicate p : predicates) {
            if (FilterTranslator.translate(p, spec, pushdown)) {
                used.add(p);
            }
        }
        pushed = used.toArray(new Predicate[0]);
        if (!used.isEmpty()) {
            LOG.debug("amocrm {}: pushed to the API: {}", spec.name(), pushdown.described);
        }
        return predicates;
    }

    @Override
    public Predicate[] pushedPredicates() {
        return pushed;
    }

    @Override
    public Scan build() {
        return new AmoScan(spec, options, required, pushdown);
    }
}
