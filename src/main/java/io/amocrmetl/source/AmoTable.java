package io.amocrmetl.source;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** One entity of the account, readable in batch. */
final class AmoTable implements SupportsRead {
    private final ReadConf conf;

    AmoTable(ReadConf conf) {
        this.conf = conf;
    }

    @Override
    public String name() {
        return "amocrm." + conf.spec().name();
    }

    @Override
    public StructType schema() {
        return conf.schema();
    }

    @Override
    public Set<TableCapability> capabilities() {
        return Set.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
        // The scan's options over the table's: the same map when read through DataFrameReader.
        return new AmoScanBuilder(conf.with(options.asCaseSensitiveMap()));
    }
}
