package io.amocrmetl.catalog;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * One table of the lakehouse (docs/lakehouse.md): its name (also its folder under
 * {@code lake.path} and its view name in {@code sql}), its role, its key (account_id first), and
 * its schema. Every table but {@code _lake_meta} is partitioned by account_id, so writes that
 * carry the literal account touch only that account's files and two accounts never conflict.
 *
 * @param entity for entity tables, the reader's entity; for child tables, the parent entity
 * @param parentKey for child tables, the column holding the parent's id
 */
public record LakeTable(String name, Role role, List<String> key, StructType schema, String entity, String parentKey) {

    /** What a table is for, which decides how it is written and what may touch it. */
    public enum Role {
        /** An amoCRM entity, merged by key and cursor. */
        ENTITY,
        /** Rows of one parent (custom-field values, tags, links), rewritten per parent. */
        CHILD,
        /** Reference data, refreshed whole each run; vanished rows are flagged, never dropped. */
        REFERENCE,
        /** Built from other data for analysis (lead_status_history). */
        ANALYTIC,
        /** The product's own bookkeeping (_sync_state, _journal, ...). */
        SYSTEM
    }

    public boolean partitioned() {
        return schema.getFieldIndex("account_id").isDefined();
    }

    @Override
    public String toString() {
        return name;
    }
}
