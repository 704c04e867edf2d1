package io.amocrmetl.source;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * {@code spark.read().format("amocrm")}: a live amoCRM account as a DataFrame. The options are
 * {@link ReadOptions}, resolved into a {@link ReadConf}; the schema is the entity's (see
 * {@code Entities}).
 */
public final class AmoSource implements TableProvider, DataSourceRegister {
    @Override
    public String shortName() {
        return "amocrm";
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return ReadConf.of(options).schema();
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new AmoTable(ReadConf.of(properties));
    }
}
