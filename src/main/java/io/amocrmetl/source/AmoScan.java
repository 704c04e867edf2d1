package io.amocrmetl.source;

import io.amocrmetl.catalog.EntitySpec;
import java.util.List;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.StructType;

/** The read as planned: its schema, what was pushed (shown in EXPLAIN), and its one batch. */
final class AmoScan implements Scan {
    private final ReadConf conf;
    private final EntitySpec spec;
    private final StructType required;
    private final Pushdown pushdown;
    private AmoBatch batch;

    AmoScan(ReadConf conf, StructType required, Pushdown pushdown) {
        this.conf = conf;
        this.spec = conf.spec();
        this.required = required;
        this.pushdown = pushdown;
    }

    @Override
    public StructType readSchema() {
        return required;
    }

    /** Shown in EXPLAIN: never an option value that could be a secret. */
    @Override
    public String description() {
        return "amocrm " + spec.name() + " [PushedToApi: "
                + (pushdown.described.isEmpty() ? "none" : String.join(", ", pushdown.described)) + "; with="
                + String.join(",", spec.withFor(List.of(required.fieldNames()))) + "]";
    }

    @Override
    public synchronized Batch toBatch() {
        // One batch per scan, so its plan (and the token it hands out) is made once.
        if (batch == null) {
            batch = new AmoBatch(conf, required, pushdown);
        }
        return batch;
    }

    @Override
    public CustomMetric[] supportedCustomMetrics() {
        return ReadMetrics.supported();
    }
}
