package io.amocrmetl.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the jobs know of an entity besides how it is read ({@link EntitySpec}): where it comes in
 * the load order, the singular name amoCRM's events and webhooks use for it, which webhook
 * deliveries signal it, whether reconcile can judge it, and the column retention judges its age
 * by. One entry per entity table; the steps for adding one are in docs/architecture.md.
 *
 * @param table the entity's lake table (also its {@link Entities} name)
 * @param singular the name of one in events' {@code entity_type} and in link events (docs/amocrm-api.md §4.3), or null
 * @param webhookKeys the top-level keys of a webhook delivery that carry it (docs/amocrm-api.md §6.2)
 * @param webhookActions the webhook actions subscribed for it (delete, restore)
 * @param reconciled whether reconcile compares its keys: listed by updated_at and read back by
 *                   {@code filter[id][]} (docs/amocrm-api.md §4.2)
 * @param ageColumn the column retention judges age by unless a rule says otherwise: created_at for
 *                  what is written once (events, notes, tasks, unsorted), updated_at for the rest
 */
public record EntityFacts(
        String table,
        String singular,
        List<String> webhookKeys,
        List<String> webhookActions,
        boolean reconciled,
        String ageColumn) {

    private static final Map<String, EntityFacts> FACTS = new LinkedHashMap<>();

    static {
        // In load order: parents before what links to them, events after the entities they describe.
        add(new EntityFacts(
                Tables.LEADS, "lead", List.of("leads"), List.of("delete", "restore"), true, Columns.UPDATED_AT));
        add(new EntityFacts(
                Tables.CONTACTS,
                "contact",
                List.of("contacts"),
                List.of("delete", "restore"),
                true,
                Columns.UPDATED_AT));
        // Companies come in the contacts block of a webhook, told apart by their type (docs/amocrm-api.md §6.2).
        add(new EntityFacts(
                Tables.COMPANIES,
                "company",
                List.of("contacts"),
                List.of("delete", "restore"),
                true,
                Columns.UPDATED_AT));
        add(new EntityFacts(
                Tables.TASKS,
                "task",
                List.of("tasks", "task"),
                List.of("delete", "restore"),
                true,
                Columns.CREATED_AT));
        add(new EntityFacts(Tables.NOTES, null, List.of(), List.of(), false, Columns.CREATED_AT));
        add(new EntityFacts(Tables.EVENTS, null, List.of(), List.of(), false, Columns.CREATED_AT));
        add(new EntityFacts(Tables.UNSORTED, null, List.of("unsorted"), List.of("delete"), false, Columns.CREATED_AT));
        add(new EntityFacts(Tables.CUSTOMERS, "customer", List.of(), List.of(), false, Columns.UPDATED_AT));
        add(new EntityFacts(Tables.CUSTOMER_TRANSACTIONS, null, List.of(), List.of(), false, Columns.UPDATED_AT));
        add(new EntityFacts(Tables.CATALOG_ELEMENTS, null, List.of(), List.of(), false, Columns.UPDATED_AT));
    }

    /** Reference tables in the order ingest refreshes them: the account first, field definitions last. */
    public static final List<String> REFERENCE_ORDER = List.of(
            Tables.ACCOUNT,
            Tables.USERS,
            Tables.PIPELINES,
            Tables.STATUSES,
            Tables.LOSS_REASONS,
            Tables.TAGS,
            Tables.CUSTOM_FIELDS);

    /**
     * Per entity, the columns whose IN filter the API applies exactly, so the reader may push it
     * down (docs/amocrm-api.md §2.4 notes, §4.3 events, §4.2 leads).
     */
    private static final Map<String, Set<String>> EXACT_IN_FILTERS = Map.of(
            Tables.NOTES, Set.of("note_type"),
            Tables.EVENTS, Set.of("type", Columns.ENTITY_TYPE),
            Tables.LEADS, Set.of("pipeline_id"));

    /**
     * Per entity read by page numbers, the event type that reports one of its deletions: a deletion
     * shifts later pages, so a read of several pages asks for these too (only tasks have one).
     */
    private static final Map<String, String> PAGED_DELETION_EVENT = Map.of(Tables.TASKS, "task_deleted");

    /** The table whose counts and sums reconcile compares by pipeline, status, tag and period (docs/reconciliation.md). */
    private static final String AGGREGATED = Tables.LEADS;

    /**
     * Entities whose items leave the list for good once handled (an unsorted item accepted or
     * declined): keyed by uid, with no restore, so a deletion needs no read-back
     * (docs/amocrm-api.md §6.2).
     */
    private static final Set<String> FINAL_DELETIONS = Set.of(Tables.UNSORTED);

    /**
     * The entity read once per run for several consumers: its own table, the status history and
     * the deletions all come from the one events read (docs/lakehouse.md).
     */
    private static final String SHARED_FEED = Tables.EVENTS;

    /** The reference table whose rows define other tables' custom-field columns. */
    private static final String FIELD_DEFINITIONS = Tables.CUSTOM_FIELDS;

    /** Tables whose reads need the ids of the account's lists, so the lists are read first. */
    private static final Set<String> NEED_LIST_IDS = Set.of(Tables.CATALOGS, Tables.CATALOG_ELEMENTS);

    public EntityFacts {
        webhookKeys = List.copyOf(webhookKeys);
        webhookActions = List.copyOf(webhookActions);
    }

    private static void add(EntityFacts f) {
        FACTS.put(f.table(), f);
    }

    /** Every entity table in load order. */
    public static List<String> loadOrder() {
        return List.copyOf(FACTS.keySet());
    }

    /** The facts of an entity table; an unknown name is a config error naming the choices. */
    public static EntityFacts of(String table) {
        EntityFacts f = FACTS.get(table);
        if (f == null) {
            Entities.get(table); // names the choices when the name is not an entity at all
            throw new IllegalArgumentException(table + " is reference data, not an entity table");
        }
        return f;
    }

    /** The entity table an events' or links' singular {@code entity_type} names, if any. */
    public static Optional<String> bySingular(String singular) {
        return FACTS.values().stream()
                .filter(f -> singular.equals(f.singular()))
                .map(EntityFacts::table)
                .findFirst();
    }

    /**
     * The entity tables a webhook delivery's top-level key carries, in load order; empty when none.
     * Several share a key when the items tell them apart by their singular type.
     */
    public static List<EntityFacts> byWebhookKey(String key) {
        return FACTS.values().stream()
                .filter(f -> f.webhookKeys().contains(key))
                .toList();
    }

    /** The entity tables reconcile can judge, in load order. */
    public static List<String> reconciledTables() {
        return FACTS.values().stream()
                .filter(EntityFacts::reconciled)
                .map(EntityFacts::table)
                .toList();
    }

    /** The age column of any table: an entity's own, else updated_at. */
    public static String ageColumnOf(String table) {
        EntityFacts f = FACTS.get(table);
        return f == null ? Columns.UPDATED_AT : f.ageColumn();
    }

    /** Entity tables whose singular names amoCRM's events use. */
    public static Set<String> singulars() {
        Set<String> out = new LinkedHashSet<>();
        FACTS.values().stream().filter(f -> f.singular() != null).forEach(f -> out.add(f.singular()));
        return out;
    }

    /** Whether the API applies an IN filter on this entity's column exactly. */
    public static boolean exactInFilter(String table, String column) {
        return EXACT_IN_FILTERS.getOrDefault(table, Set.of()).contains(column);
    }

    /** The event type reporting a deletion of this page-numbered entity, if it has one. */
    public static Optional<String> pagedDeletionEvent(String table) {
        return Optional.ofNullable(PAGED_DELETION_EVENT.get(table));
    }

    /** Whether reconcile compares this table's aggregates (not only its keys). */
    public static boolean aggregated(String table) {
        return AGGREGATED.equals(table);
    }

    /** The table whose aggregates reconcile compares; reconcile needs it. */
    public static String aggregatedTable() {
        return AGGREGATED;
    }

    /** Whether a handled item leaves this entity's list for good: its deletion is final. */
    public static boolean finalDeletions(String table) {
        return FINAL_DELETIONS.contains(table);
    }

    /** Whether this is the entity whose one read per run feeds several consumers (events). */
    public static boolean sharedFeed(String table) {
        return SHARED_FEED.equals(table);
    }

    /** The entity whose one read per run feeds its table, the status history and the deletions. */
    public static String sharedFeedTable() {
        return SHARED_FEED;
    }

    /** Whether a table holds the definitions of custom fields (their columns in other tables). */
    public static boolean fieldDefinitions(String table) {
        return FIELD_DEFINITIONS.equals(table);
    }

    /** Whether any of these tables needs the lists' ids, so the lists are read before it. */
    public static boolean needListIds(Collection<String> tables) {
        return tables.stream().anyMatch(NEED_LIST_IDS::contains);
    }
}
