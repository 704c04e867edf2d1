package io.amocrmetl.ingest;

import static org.apache.spark.sql.functions.col;

import io.amocrmetl.catalog.LakeTable;
import io.amocrmetl.catalog.LinkLayout;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.ingest.DeletesLoad.Signal;
import io.amocrmetl.source.ReadOptions;
import io.amocrmetl.source.ScanMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The entities linked to a deleted or restored company or contact: they lose or regain the link
 * without moving their updated_at, so the deletions step reads them again ({@link Rereads}).
 */
final class LinkedEntities {
    private LinkedEntities() {}

    /**
     * Entities linked to a deleted company or contact lose the link, so they are read again: leads
     * and contacts of a deleted company, leads and customers of a deleted contact (the lake says which).
     */
    static void ofDeleted(RunContext ctx, List<Signal> deletes, Set<String> loaded, Rereads rereads) {
        Map<String, List<Signal>> by = Signal.byEntity(deletes);
        String companies = ids(by.get(Tables.COMPANIES));
        if (companies != null) {
            for (String t : List.of(Tables.LEADS, Tables.CONTACTS)) {
                if (loaded.contains(t)) {
                    collect(
                            ctx.lake
                                    .read(t, ctx.accountId)
                                    .where("company_id IN (" + companies + ")")
                                    .select("id"),
                            rereads.of(t));
                }
            }
        }
        String contacts = ids(by.get(Tables.CONTACTS));
        if (contacts != null) {
            // Leads and customers: the entities whose link tables hold contacts.
            for (String link : LinkLayout.linking(Tables.CONTACTS)) {
                LakeTable lt = Tables.get(link);
                if (loaded.contains(lt.entity())) {
                    collect(
                            ctx.lake
                                    .read(link, ctx.accountId)
                                    .where(LinkLayout.of(link).orElseThrow().linkedKey() + " IN (" + contacts + ")")
                                    .select(lt.parentKey()),
                            rereads.of(lt.entity()));
                }
            }
        }
    }

    /**
     * The other way round: entities linked to a restored company or contact get the link back
     * without moving their updated_at (a deleted entity's links are hidden, not dropped), so they
     * are read again too. Which ones, the restored record's own links say: the companies' leads and
     * contacts, the contacts' leads and customers, read by id in one request per 250.
     *
     * @return the requests made
     */
    static long ofRestored(RunContext ctx, Map<String, Set<Long>> restored, Set<String> loaded, Rereads rereads) {
        long requests = 0;
        for (Map.Entry<String, List<String>> e : Map.of(
                        Tables.COMPANIES,
                        List.of(Tables.LEADS, Tables.CONTACTS),
                        Tables.CONTACTS,
                        List.of(Tables.LEADS, Tables.CUSTOMERS))
                .entrySet()) {
            Set<Long> ids = restored.getOrDefault(e.getKey(), Set.of());
            List<String> partners =
                    e.getValue().stream().filter(loaded::contains).toList();
            if (ids.isEmpty() || partners.isEmpty() || !loaded.contains(e.getKey())) {
                continue;
            }
            Dataset<Row> read = ctx.read(
                            e.getKey(),
                            Map.of(
                                    ReadOptions.IDS,
                                    String.join(
                                            ",",
                                            ids.stream().map(String::valueOf).toList())))
                    .select(partners.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
            for (Row r : read.collectAsList()) {
                for (int i = 0; i < partners.size(); i++) {
                    if (!r.isNullAt(i)) {
                        Set<Long> into = rereads.of(partners.get(i));
                        r.<Row>getList(i).forEach(link -> into.add(link.getLong(0)));
                    }
                }
            }
            requests += ScanMetrics.of(read).requests();
        }
        return requests;
    }

    private static String ids(List<Signal> signals) {
        return signals == null || signals.isEmpty()
                ? null
                : String.join(
                        ",", signals.stream().map(s -> String.valueOf(s.id())).toList());
    }

    private static void collect(Dataset<Row> ids, Set<Long> into) {
        ids.collectAsList().forEach(r -> into.add(r.getLong(0)));
    }
}
