package io.amocrmetl.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.DerivedColumn;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.EntitySpec;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.core.EditDistance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The lead custom fields named in {@code amocrm.custom-fields.*} (the GA client id and the
 * request id, docs/connecting.md), resolved to field ids. A name that matches nothing comes with
 * the closest names the account has, so a typo or a different case is one edit away. Spark-free:
 * {@code auth exchange}, {@code doctor} and ingest share it.
 */
public final class FieldNames {
    /** The config keys that name lead fields, in the order they are reported. */
    public static final List<String> KEYS =
            List.of("amocrm.custom-fields.ga-client-id", "amocrm.custom-fields.request-id");

    private FieldNames() {}

    /** A lead custom field: its id and its name now. */
    public record LeadField(long id, String name) {}

    /**
     * Which field a configured name maps to.
     *
     * @param id the field id to read (null: none)
     * @param renamedFrom when the id is the one recorded at connect and the field has been renamed
     *                    since, the name it had (the current name is {@code current})
     * @param current the field's name now (null when {@code id} is null)
     * @param closeMatches the account's closest names when nothing matched
     */
    public record Choice(
            String key, String name, Long id, String renamedFrom, String current, List<LeadField> closeMatches) {
        public boolean resolved() {
            return id != null;
        }

        /** "GA Client ID" (id 1000027), "GA CID" (id 1000040): the close matches, for messages. */
        public String closeMatchesText() {
            if (closeMatches.isEmpty()) {
                return "no lead field has a similar name";
            }
            List<String> out = new ArrayList<>();
            closeMatches.forEach(f -> out.add("\"" + f.name() + "\" (id " + f.id() + ")"));
            return "close matches: " + String.join(", ", out);
        }
    }

    /** Every lead custom field of the account (docs/amocrm-api.md §2.1: up to 50 a page). */
    public static List<LeadField> fetch(AmoClient client) {
        List<LeadField> out = new ArrayList<>();
        EntitySpec fields = Entities.get(Tables.CUSTOM_FIELDS);
        String leadFields = fields.endpoints().stream()
                .filter(e -> DerivedColumn.usesConfiguredFields(
                        String.valueOf(e.context().get(Columns.ENTITY_TYPE))))
                .findFirst()
                .orElseThrow()
                .path();
        client.walk(ListRequest.of(leadFields, fields.embedded()), new PageConsumer() {
            private int mark;

            @Override
            public void beginPage(int page) {
                mark = out.size();
            }

            @Override
            public void item(JsonParser p) throws IOException {
                Long id = null;
                String name = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("id") && p.currentToken().isNumeric()) {
                        id = p.getLongValue();
                    } else if (f.equals("name") && p.currentToken() == JsonToken.VALUE_STRING) {
                        name = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                if (id != null && name != null) {
                    out.add(new LeadField(id, name));
                }
            }

            @Override
            public void abortPage(int page) {
                out.subList(mark, out.size()).clear();
            }
        });
        return out;
    }

    /**
     * Resolves a configured name: the id recorded at connect while the field still exists (a
     * rename keeps it, and is reported), else the field of exactly that name, else nothing with
     * the close matches.
     *
     * @param recordedId the id {@link ConnectionRecord#fieldId} holds for this key and name, or null
     */
    public static Choice choose(String key, String name, Long recordedId, List<LeadField> fields) {
        if (recordedId != null) {
            for (LeadField f : fields) {
                if (f.id() == recordedId) {
                    return new Choice(key, name, f.id(), f.name().equals(name) ? null : name, f.name(), List.of());
                }
            }
        }
        for (LeadField f : fields) {
            if (f.name().equals(name)) {
                return new Choice(key, name, f.id(), null, f.name(), List.of());
            }
        }
        return new Choice(key, name, null, null, null, closeMatches(name, fields));
    }

    /** Up to three names within a few edits of {@code name}, ignoring case and spaces; closest first. */
    static List<LeadField> closeMatches(String name, List<LeadField> fields) {
        String want = norm(name);
        int limit = Math.max(2, want.length() / 3);
        List<LeadField> near = new ArrayList<>();
        List<Integer> score = new ArrayList<>();
        for (LeadField f : fields) {
            String have = norm(f.name());
            int d = EditDistance.between(want, have);
            boolean contains = !want.isEmpty() && !have.isEmpty() && (have.contains(want) || want.contains(have));
            if (d <= limit || contains) {
                near.add(f);
                score.add(contains ? Math.min(d, limit) : d);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < near.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(score::get));
        List<LeadField> out = new ArrayList<>();
        for (int i = 0; i < Math.min(3, order.size()); i++) {
            out.add(near.get(order.get(i)));
        }
        return out;
    }

    private static String norm(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-.]+", " ").trim();
    }
}
