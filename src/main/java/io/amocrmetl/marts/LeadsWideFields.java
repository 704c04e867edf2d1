package io.amocrmetl.marts;

import io.amocrmetl.catalog.Tables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The lead custom fields leads_wide pivots: every live field of custom_fields, and any field that
 * still has values in the lake (a field deleted since keeps its last name; a field seen only in
 * values, before the next reference refresh, takes the name its values carry). Reads the views
 * {@link LakeViews} registered.
 */
final class LeadsWideFields {
    private LeadsWideFields() {}

    static List<LeadsWideSql.Field> read(SparkSession spark) {
        Map<Long, LeadsWideSql.Field> out = new LinkedHashMap<>();
        Set<Long> live = new LinkedHashSet<>();
        // Live definitions first: when two accounts share a field id, the live name wins.
        for (Row r : spark.sql("SELECT id, name, type, sort, is_deleted FROM "
                        + Tables.get(Tables.CUSTOM_FIELDS).name()
                        + " WHERE entity_type = 'leads' ORDER BY is_deleted, account_id")
                .collectAsList()) {
            long id = r.getLong(0);
            if (!r.getBoolean(4)) {
                live.add(id);
            }
            out.putIfAbsent(
                    id,
                    new LeadsWideSql.Field(
                            id, r.getString(1), r.getString(2), r.isNullAt(3) ? 0 : ((Number) r.get(3)).intValue()));
        }
        List<LeadsWideSql.Field> fields = new ArrayList<>();
        Set<Long> withValues = new LinkedHashSet<>();
        for (Row r : spark.sql("SELECT field_id, max(field_name), max(field_type) FROM "
                        + Tables.customFieldValues(Tables.LEADS) + " GROUP BY field_id ORDER BY field_id")
                .collectAsList()) {
            long id = r.getLong(0);
            withValues.add(id);
            out.putIfAbsent(id, new LeadsWideSql.Field(id, r.getString(1), r.getString(2), Integer.MAX_VALUE));
        }
        for (LeadsWideSql.Field f : out.values()) {
            if (live.contains(f.id()) || withValues.contains(f.id())) {
                fields.add(f);
            }
        }
        return fields;
    }
}
