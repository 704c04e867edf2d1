package io.amocrmetl.ingest;

import io.amocrmetl.api.FieldNames;
import io.amocrmetl.auth.ConnectionRecord;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.core.EtlException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GA client id and request id fields (docs/connecting.md), named in the config and resolved
 * to field ids from the account's lead custom fields, freshly refreshed, on each run. The id
 * recorded when the account connected ({@code auth exchange}) wins while that field exists, so a
 * rename keeps the column filled (and warns; docs/lakehouse.md). A name that no longer
 * resolves is a warning (its column stays null), never a failure.
 */
final class FieldMapping {
    private static final Logger LOG = LoggerFactory.getLogger(FieldMapping.class);

    private FieldMapping() {}

    /** Resolves both names from the custom fields just read (reader rows of {@code custom_fields}). */
    static void resolve(RunContext ctx, Dataset<Row> fields) {
        AmoSettings amo = ctx.config.amocrm();
        if (amo.gaClientIdField() == null && amo.requestIdField() == null) {
            ctx.gaField = null;
            ctx.requestIdField = null;
            return;
        }
        List<FieldNames.LeadField> lead = new ArrayList<>();
        for (Row r : fields.where("entity_type = 'leads'").select("id", "name").collectAsList()) {
            lead.add(new FieldNames.LeadField(r.getLong(0), r.getString(1)));
        }
        ConnectionRecord connected;
        try {
            connected = ConnectionRecord.read(amo.stateDir());
        } catch (EtlException e) {
            LOG.warn("field mappings resolved by name: {}", e.getMessage());
            connected = null;
        }
        ctx.gaField = resolve(ctx, lead, FieldNames.KEYS.get(0), amo.gaClientIdField(), connected);
        ctx.requestIdField = resolve(ctx, lead, FieldNames.KEYS.get(1), amo.requestIdField(), connected);
    }

    private static Long resolve(
            RunContext ctx, List<FieldNames.LeadField> lead, String key, String name, ConnectionRecord connected) {
        if (name == null) {
            return null;
        }
        FieldNames.Choice c =
                FieldNames.choose(key, name, connected == null ? null : connected.fieldId(key, name), lead);
        String msg = null;
        if (!c.resolved()) {
            msg = key + " = \"" + name + "\" matches no lead custom field of the account; its column stays empty ("
                    + c.closeMatchesText() + ")";
        } else if (c.renamedFrom() != null) {
            msg = key + ": field " + c.id() + " was \"" + name + "\" when the account connected and is now named \""
                    + c.current() + "\"; still read by its id (set the new name in the config)";
        }
        if (msg != null) {
            LOG.warn(msg);
            ctx.out.println("  warning: " + msg);
            ctx.warnings.add(msg);
        }
        return c.id();
    }
}
