package io.amocrmetl.source;

import java.util.Locale;
import io.amocrmetl.catalog.EntitySpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** One entity of the account, readable in batch. */
final class AmoTable implements SupportsRead {
    private final EntitySpec spec;
    private final Map<String, String> properties;

    AmoTable(EntitySpec spec, Map<String, String> properties) {
        this.spec = spec;
        this.properties = properties;
    }

    @Override
    public String name() {
        return "amocrm." + spec.name();
    }

    @Override
    public StructType schema() {
        return ReadOptions.schema(spec, properties);
    }

    @Override
    public Set<TableCapability> capabilities() {
        return Set.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
        Map<String, String> all = new HashMap<>();
        properties.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), v));
        options.asCaseSensitiveMap().forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), v));
        return new AmoScanBuilder(spec, all);
    }
}
