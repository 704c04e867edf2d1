package io.amocrmetl.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.lake.Lake;
import io.amocrmetl.source.ReadOptions;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The normal ingest path, for the jobs that repair the lake (docs/reconciliation.md): the same
 * reads, the same content hash and the same writes as ingest, so a repaired row is exactly the row
 * an ingest would have written. A thin door onto package-private parts; nothing here decides.
 */
public final class IngestPath {
    private IngestPath() {}

    /**
     * A run's context as {@code ingest} builds it: the account's read hints and the lead field
     * mapping, resolved from the lake's {@code custom_fields} (no request).
     *
     * @param account the {@code /api/v4/account} object of this run
     * @param serverNow the server's time when the run began: {@code _synced_at} of what it writes
     */
    public static RunContext context(
            SparkSession spark,
            Lake lake,
            EtlConfig config,
            Map<String, String> configSource,
            AmoClient client,
            JsonNode account,
            Instant serverNow,
            String runId,
            String job,
            PrintStream out) {
        Map<String, String> hints = new LinkedHashMap<>();
        hints.put(
                ReadOptions.API_FILTERS,
                String.valueOf(!account.has("is_api_filter_enabled")
                        || account.get("is_api_filter_enabled").asBoolean(true)));
        if (account.hasNonNull("customers_mode")) {
            hints.put(ReadOptions.CUSTOMERS_MODE, account.get("customers_mode").asText());
        }
        hints.put(ReadOptions.CATALOGS, "");
        RunContext ctx = new RunContext(
                spark,
                lake,
                config,
                configSource,
                client,
                account.get("id").asLong(),
                serverNow,
                runId,
                job,
                out,
                hints);
        if (lake.exists(Tables.get(Tables.CUSTOM_FIELDS))) {
            FieldMapping.resolve(
                    ctx, lake.read(Tables.CUSTOM_FIELDS, ctx.accountId).where("NOT is_deleted"));
        }
        return ctx;
    }

    /** A read of one entity with the run's options and {@code extra} on top (format "amocrm"). */
    public static Dataset<Row> read(RunContext ctx, String entity, Map<String, String> extra) {
        return ctx.read(entity, extra);
    }

    /** The reader columns ingest reads for a table (so a read here hashes as ingest's did). */
    public static List<String> columns(String table) {
        return EntityLoad.columns(Entities.get(table), Tables.get(table)).stream()
                .filter(c -> !c.equals(ReadOptions.PID_COLUMN))
                .toList();
    }

    /** Adds {@code _hash}, the content hash ingest stores with every entity row. */
    public static Dataset<Row> withHash(Dataset<Row> read) {
        return Flatten.withHash(read);
    }

    /** Reads entities by id and writes them as a window's rows are written (children, then parents). */
    public static long refetch(RunContext ctx, String table, Collection<Long> ids) {
        return EntityLoad.refetch(ctx, table, ids);
    }

    /**
     * Flags (or, in hard mode, removes) rows deleted at {@code deletedAt}, as a deletion event
     * would; recording the deletion in {@code _deletions} is the caller's.
     *
     * @return the rows flagged or removed
     */
    public static long markDeleted(RunContext ctx, String table, Collection<Long> ids, Instant deletedAt) {
        if (ids.isEmpty()) {
            return 0;
        }
        List<DeletesLoad.Signal> signals = ids.stream()
                .map(id -> new DeletesLoad.Signal(table, id, deletedAt.getEpochSecond(), null, true))
                .toList();
        return DeletionApply.apply(ctx, table, signals);
    }
}
