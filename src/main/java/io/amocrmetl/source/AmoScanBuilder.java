package io.amocrmetl.source;

import io.amocrmetl.catalog.EntitySpec;
import java.util.ArrayList;
import java.util.List;
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
 * Collects what Spark pushes: the columns it needs (which decide {@code with=}, docs/amocrm-api.md §3.4)
 * and the predicates the API can apply ({@link FilterTranslator}). Every predicate also stays
 * with Spark, which re-checks it.
 */
final class AmoScanBuilder implements ScanBuilder, SupportsPushDownV2Filters, SupportsPushDownRequiredColumns {
    private static final Logger LOG = LoggerFactory.getLogger(AmoScanBuilder.class);
    private final ReadConf conf;
    private final EntitySpec spec;
    private StructType required;
    private final Pushdown pushdown;
    private Predicate[] pushed = new Predicate[0];

    AmoScanBuilder(ReadConf conf) {
        this.conf = conf;
        this.spec = conf.spec();
        this.required = conf.schema();
        this.pushdown = Pushdown.of(conf);
    }

    @Override
    public void pruneColumns(StructType requiredSchema) {
        // Keep the entity's own (full) types for the named columns: nested structs are read whole.
        List<StructField> keep = new ArrayList<>();
        StructType full = conf.schema();
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
        return new AmoScan(conf, required, pushdown);
    }
}
