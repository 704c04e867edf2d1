package io.amocrmetl.ingest;

import io.amocrmetl.catalog.EntityFacts;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.state.SyncState;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The windows each entity table reads in one ingest run ({@link LoadPlan}), and a historical load's
 * estimate of what they cost. "events" stands for the one events read that the events table, the
 * status history and the deletions share.
 */
final class RunWindows {
    private RunWindows() {}

    /** Each table's windows, in {@link EntityFacts#loadOrder()}, the shared events read last. */
    static Map<String, WindowSource> plan(RunContext ctx, List<String> enabled, IngestJob.Options options) {
        Map<String, WindowSource> plans = new LinkedHashMap<>();
        for (String t : EntityFacts.loadOrder()) {
            if (enabled.contains(t) && !EntityFacts.sharedFeed(t)) {
                plans.put(
                        t,
                        options.historical()
                                ? LoadPlan.historical(
                                        ctx.state.get(t),
                                        ctx.serverNow,
                                        ctx.config,
                                        options.from(),
                                        options.to(),
                                        options.reload())
                                : LoadPlan.incremental(ctx.state.get(t), ctx.serverNow, ctx.config));
            }
        }
        plans.put(Tables.EVENTS, events(ctx, enabled, options));
        return plans;
    }

    /** The shared events read's windows: they cover what each of its consumers needs. */
    private static WindowSource events(RunContext ctx, List<String> enabled, IngestJob.Options options) {
        List<String> consumers = new ArrayList<>(List.of(Tables.LEAD_STATUS_HISTORY));
        if (enabled.contains(EntityFacts.sharedFeedTable())) {
            consumers.add(Tables.EVENTS);
        }
        if (options.historical()) {
            // The consumer with the least coverage decides; the other re-reads what it has (idempotent).
            SyncState.Entry least = consumers.stream()
                    .map(ctx.state::get)
                    .max(Comparator.comparing(e -> e.coverageStart() == null
                            ? Long.MAX_VALUE
                            : e.coverageStart().getEpochSecond()))
                    .orElseThrow();
            return LoadPlan.historical(
                    least, ctx.serverNow, ctx.config, options.from(), options.to(), options.reload());
        }
        consumers.add(Tables.DELETIONS);
        IngestWindow union = IngestWindow.union(consumers.stream()
                .map(c -> IngestWindow.incremental(ctx.state.get(c), ctx.serverNow, ctx.config))
                .toArray(IngestWindow[]::new));
        return LoadPlan.source(union.from(), union.to(), ctx.config, false, false);
    }

    /** Prints a historical load's estimate: requests per table (sampled) and the time at the configured rate. */
    static void estimate(RunContext ctx, Map<String, WindowSource> plans, AmoSettings amo, PrintStream out) {
        long total = 0;
        out.println("  estimate (one sampled request per table; the range assumed as dense as its newest window):");
        for (Map.Entry<String, WindowSource> p : plans.entrySet()) {
            if (!p.getValue().hasNext()) {
                out.printf("    %-22s already loaded%n", p.getKey());
                continue;
            }
            long n = Estimate.requests(ctx.client, p.getKey(), p.getValue(), ctx.config);
            total += n;
            out.printf("    %-22s ~%6d requests%n", p.getKey(), n);
        }
        int rps = amo.unlimited() ? 0 : amo.requestsPerSecond();
        out.printf(
                "    total ~%d requests%s%n",
                total,
                rps == 0
                        ? ""
                        : String.format(
                                ", ~%s at %d requests/s",
                                Progress.duration((long) Math.ceil(total / (double) rps)), rps));
    }
}
