package io.amocrmetl.config;

import com.typesafe.config.Config;
import io.amocrmetl.catalog.EntityFacts;
import java.util.List;
import java.util.Set;

/**
 * {@code reconcile.*} (docs/reconciliation.md): the lead aggregates' period, the tables whose keys
 * are compared, whether differences are repaired, and a request budget per run.
 *
 * @param maxRequests requests a run may make (null: the whole range each run)
 */
public record ReconcileSettings(String granularity, List<String> tables, boolean repair, Long maxRequests) {
    /** The entity tables a reconcile can judge: listed by updated_at, read by filter[id][] (docs/amocrm-api.md §4.2). */
    public static final List<String> CHECKABLE = EntityFacts.reconciledTables();

    public static final Set<String> GRANULARITIES = Set.of("month", "week", "day");

    static ReconcileSettings from(Config c) {
        String granularity = EtlConfig.oneOf(c, "reconcile.granularity", GRANULARITIES);
        List<String> tables = EtlConfig.stringList(c, "reconcile.tables");
        for (String t : tables) {
            if (!CHECKABLE.contains(t)) {
                throw EtlConfig.bad(
                        "reconcile.tables", "'" + t + "' cannot be reconciled; choose among " + CHECKABLE, c);
            }
        }
        if (!tables.contains(EntityFacts.aggregatedTable())) {
            throw EtlConfig.bad(
                    "reconcile.tables",
                    "must include " + EntityFacts.aggregatedTable()
                            + " (the lead aggregates are what reconcile compares, docs/reconciliation.md)",
                    c);
        }
        boolean repair = EtlConfig.bool(c, "reconcile.repair");
        Long max = null;
        if (!c.getIsNull("reconcile.max-requests")) {
            max = EtlConfig.get(c, "reconcile.max-requests", c::getLong, "a whole number of requests");
            if (max < 1) {
                throw EtlConfig.bad("reconcile.max-requests", "must be at least 1, got " + max, c);
            }
        }
        return new ReconcileSettings(granularity, tables, repair, max);
    }
}
