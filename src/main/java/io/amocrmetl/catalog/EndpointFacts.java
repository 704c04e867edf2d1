package io.amocrmetl.catalog;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an entity's list endpoints behave beyond what its {@link EntitySpec} says: which need the
 * customers feature, which come sorted by their cursor, which honour {@code If-Modified-Since},
 * and which entity also has one endpoint per list. The reader plans by these (docs/architecture.md).
 */
public final class EndpointFacts {
    private EndpointFacts() {}

    /**
     * Whether the list comes sorted by its cursor without asking, so a window can be paged by
     * keyset with no filter: unsorted, sorted by created_at (docs/amocrm-api.md §2.4).
     */
    public static boolean sortedByCursor(EntitySpec spec) {
        return spec.name().equals(Tables.UNSORTED);
    }

    /**
     * Whether the list honours {@code If-Modified-Since}, which stands in for the updated_at filter
     * on accounts with API filters off (docs/amocrm-api.md §3.5); customers do not.
     */
    public static boolean modifiedSinceHeader(EntitySpec spec) {
        return !spec.name().equals(Tables.CUSTOMERS);
    }

    /**
     * Whether the entity also has one endpoint per list, known once the lists are read: the field
     * definitions of each list ({@link Entities#catalogFieldsPath}) beside the entities' own.
     */
    public static boolean alsoPerCatalog(EntitySpec spec) {
        return spec.name().equals(Tables.CUSTOM_FIELDS);
    }

    /**
     * The per-list endpoints of such an entity, for the given lists, unless a pushed filter on
     * entity_type ({@code wantedTypes}, null for none) leaves out the lists' type.
     */
    public static List<EntitySpec.Endpoint> perCatalog(List<Long> catalogs, Set<String> wantedTypes) {
        if (wantedTypes != null && !wantedTypes.contains(Tables.CATALOGS)) {
            return List.of();
        }
        return catalogs.stream()
                .map(c -> new EntitySpec.Endpoint(
                        Entities.catalogFieldsPath(c),
                        Map.of(Columns.ENTITY_TYPE, Tables.CATALOGS, Columns.CATALOG_ID, String.valueOf(c))))
                .toList();
    }

    /**
     * Whether the list takes the events API's own filter forms: {@code filter[entity]} for
     * entity_type and created_at as a range that is not paged by updated_at (docs/amocrm-api.md §4.3).
     */
    public static boolean eventsFilterForms(EntitySpec spec) {
        return EntityFacts.sharedFeed(spec.name());
    }

    /**
     * Whether an endpoint needs the account's customers feature, which not every plan has (the
     * API answers 402 without it): the customers' own paths, and other entities' customers context.
     */
    public static boolean needsCustomers(EntitySpec.Endpoint e) {
        return needsCustomers(e.path()) || Tables.CUSTOMERS.equals(e.context().get(Columns.ENTITY_TYPE));
    }

    /** Whether a request path is under the customers feature (a 402 there means the plan lacks it). */
    public static boolean needsCustomers(String pathAndQuery) {
        return pathAndQuery.contains(Entities.get(Tables.CUSTOMERS).path());
    }
}
