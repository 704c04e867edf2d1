package io.amocrmetl.catalog;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One amoCRM entity as the product reads it: its endpoints, where items sit in
 * {@code _embedded}, its cursor, its key, its Spark schema and how JSON becomes rows. The
 * registry is {@link Entities}; everything else (reader, ingest, tests) looks specs up by name.
 *
 * @param name the entity's name, also its lake table's (docs/lakehouse.md)
 * @param embedded the {@code _embedded} key its list items sit under
 * @param endpoints list paths with their context (e.g. notes' entity_type); empty when they
 *                  depend on the account (catalog elements: one path per list)
 * @param cursor the incremental cursor
 * @param keyset whether the API orders by the cursor ({@code order[updated_at]}), so a window can
 *               be paged by keyset (leads, contacts, companies: docs/amocrm-api.md §4.1)
 * @param key the key columns, without account_id (docs/lakehouse.md)
 * @param shape the JSON→row mapping
 * @param withByColumn the {@code with=} value a column needs (docs/amocrm-api.md §3.4)
 * @param fanOut for statuses: the array inside each item whose elements are the rows
 * @param idFilter whether {@code filter[id][]} works on the list (re-fetch by id)
 */
public record EntitySpec(
        String name,
        String embedded,
        List<Endpoint> endpoints,
        Cursor cursor,
        boolean keyset,
        List<String> key,
        Shape shape,
        Map<String, String> withByColumn,
        String fanOut,
        boolean idFilter) {

    /** The columns every read adds after the entity's own: what drifted, kept raw. */
    public static final String DRIFT = "_drift";

    /** A list path and the values of the context columns it fills (e.g. entity_type=leads). */
    public record Endpoint(String path, Map<String, String> context) implements Serializable {
        public Endpoint {
            context = Map.copyOf(context);
        }
    }

    /** The full read schema: the shape's columns, then {@code _drift}. */
    public StructType schema() {
        List<StructField> fields = new ArrayList<>(List.of(shape.schema.fields()));
        fields.add(new StructField(DRIFT, Entities.DRIFT_TYPE, true, Metadata.empty()));
        return new StructType(fields.toArray(new StructField[0]));
    }

    /** The list path of an entity with exactly one endpoint (the single object's, for the account). */
    public String path() {
        if (endpoints.size() != 1) {
            throw new IllegalStateException(name + " has " + endpoints.size() + " endpoints, not one");
        }
        return endpoints.get(0).path();
    }

    /** Whether this entity's endpoint list depends on the account (the lists it has). */
    public boolean perCatalog() {
        return endpoints.isEmpty();
    }

    /** Whether this is reference data, refreshed whole each run. */
    public boolean reference() {
        return cursor == Cursor.NONE;
    }

    /** The {@code with=} values the given columns need, in a stable order. */
    public Set<String> withFor(List<String> columns) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : columns) {
            String w = withByColumn.get(c);
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    /** A reader producing the given columns (a subset of {@link #schema()}, in that order). */
    public ItemReader reader(StructType required) {
        return new ItemReader(this, required);
    }

    @Override
    public String toString() {
        return "EntitySpec[" + name + "]";
    }
}
