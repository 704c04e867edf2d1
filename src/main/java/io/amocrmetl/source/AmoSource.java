package io.amocrmetl.source;

import io.amocrmetl.core.ExitCode;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.Entities;
import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * {@code spark.read().format("amocrm")}: a live amoCRM account as a DataFrame (issue "reader").
 * The options are {@link ReadOptions}; the schema is the entity's (see {@code Entities}).
 */
public final class AmoSource implements TableProvider, DataSourceRegister {
    @Override
    public String shortName() {
        return "amocrm";
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return ReadOptions.schema(Entities.get(entity(options)), options);
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new AmoTable(Entities.get(entity(properties)), properties);
    }

    private static String entity(Map<String, String> options) {
        String e = options.get(ReadOptions.ENTITY);
        if (e == null) {
            e = new CaseInsensitiveStringMap(options).get(ReadOptions.ENTITY);
        }
        if (e == null || e.isBlank()) {
            throw new EtlException(ExitCode.BAD_CONFIG,
                    "format(\"amocrm\") needs option(\"entity\", ...): one of " + String.join(", ",
                            Entities.all().stream().map(EntitySpec::name).toList()));
        }
        return e.trim();
    }
}
