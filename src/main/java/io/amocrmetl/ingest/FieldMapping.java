package io.amocrmetl.ingest;

import io.amocrmetl.config.AmoSettings;
import java.util.List;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GA client id and request id fields (DESIGN.md "Connect"), named in the config and resolved
 * to field ids from the account's lead custom fields, freshly refreshed, on each run. A name that no
 * longer resolves is a warning (its column stays null), never a failure.
 */
final class FieldMapping {
    private static final Logger LOG = LoggerFactory.getLogger(FieldMapping.class);

    private FieldMapping() {
    }

    /** Resolves both names from the custom fields just read (reader rows of {@code custom_fields}). */
    static void resolve(RunContext ctx, org.apache.spark.sql.Dataset<Row> fields) {
        AmoSettings amo = ctx.config.amocrm();
        ctx.gaField = resolve(ctx, fields, "amocrm.custom-fields.ga-client-id", amo.gaClientIdField());
        ctx.requestIdField = resolve(ctx, fields, "amocrm.custom-fields.request-id", amo.requestIdField());
    }

    private static Long resolve(RunContext ctx, org.apache.spark.sql.Dataset<Row> fields, String key, String name) {
        if (name == null) {
            return null;
        }
        List<Row> rows = fields.where("entity_type = 'leads' AND name = '" + name.replace("'", "''") + "'")
                .select("id").collectAsList();
        if (rows.isEmpty()) {
            String msg = key + " = \"" + name + "\" matches no lead custom field of the account; its column stays empty "
                    + "(run `doctor` for close matches)";
            LOG.warn(msg);
            ctx.out.println("  warning: " + msg);
            ctx.warnings.add(msg);
            return null;
        }
        return rows.get(0).getLong(0);
    }
}
