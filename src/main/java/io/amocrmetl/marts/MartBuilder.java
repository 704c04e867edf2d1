package io.amocrmetl.marts;

import io.amocrmetl.catalog.Tables;
import io.amocrmetl.lake.Lake;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;

/**
 * Turns a {@link Mart} into a Dataset over the registered views: fills in leads_wide's pivot from
 * the lake's fields and puts each custom field's id and type into its column's comment.
 */
final class MartBuilder {
    private final SparkSession spark;

    MartBuilder(Lake lake) {
        this.spark = lake.spark();
    }

    /** The mart's SQL as it runs now (leads_wide's pivot filled in). */
    String sql(Mart mart) {
        return mart.templated() ? LeadsWideSql.render(mart.sql(), wideColumns()) : mart.sql();
    }

    /** The mart's rows, lazily; custom-field columns carry their field in the column comment. */
    Dataset<Row> dataset(Mart mart) {
        if (!mart.templated()) {
            return spark.sql(mart.sql());
        }
        List<LeadsWideSql.Column> columns = wideColumns();
        Dataset<Row> df = spark.sql(LeadsWideSql.render(mart.sql(), columns));
        for (LeadsWideSql.Column c : columns) {
            Metadata comment =
                    new MetadataBuilder().putString("comment", c.comment()).build();
            df = df.withMetadata(c.name(), comment);
        }
        return df;
    }

    private List<LeadsWideSql.Column> wideColumns() {
        // leads_wide = lead_facts' columns and tags, then the fields: a field may not take their names.
        Set<String> taken =
                new HashSet<>(Arrays.asList(spark.table("lead_facts").columns()));
        taken.add(Tables.TAGS);
        return LeadsWideSql.columns(LeadsWideFields.read(spark), taken);
    }
}
