package io.amocrmetl.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code doctor --probe} found out about one account's API where amoCRM's documentation leaves the
 * behaviour unverified or contradictory (docs/amocrm-api.md §9). Kept as JSON in the {@code probes} column of the
 * account's {@link #KEY} row of {@code _sync_state}; ingest turns it into reader hints. Every
 * finding may be null: not known (no data to judge by, or the probe's budget ran out).
 *
 * @param apiFilterFlag what the account reports as {@code is_api_filter_enabled} (docs/amocrm-api.md §4.2)
 * @param filtersHonoured whether {@code filter[updated_at]} actually narrowed a list
 * @param fromInclusive whether {@code filter[...][from]} includes its bound
 * @param toInclusive whether {@code filter[...][to]} includes its bound
 * @param ties how rows of one {@code updated_at} second come under {@code order[updated_at]=asc}:
 *             {@link #TIES_ID_ASC}, {@link #TIES_ID_DESC} or {@link #TIES_OTHER}
 * @param eventsPageMax the events page cap, 100 or 250 (docs/amocrm-api.md §9.6)
 * @param linkBumpsUpdatedAt whether linking moved the entity's {@code updated_at}
 * @param restoreBumpsUpdatedAt whether a restore moved the entity's {@code updated_at}
 * @param requests the requests the probe made
 */
public record AccountProbes(
        Instant probedAt,
        Boolean apiFilterFlag,
        Boolean filtersHonoured,
        Boolean fromInclusive,
        Boolean toInclusive,
        String ties,
        Integer eventsPageMax,
        Boolean linkBumpsUpdatedAt,
        Boolean restoreBumpsUpdatedAt,
        long requests) {
    /** The {@code table_name} of the {@code _sync_state} row that holds an account's probes (not a lake table). */
    public static final String KEY = "_account_probes";

    public static final String TIES_ID_ASC = "id_asc";
    public static final String TIES_ID_DESC = "id_desc";
    public static final String TIES_OTHER = "other";

    private static final Logger LOG = LoggerFactory.getLogger(AccountProbes.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public String toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("probed_at", probedAt == null ? null : probedAt.toString());
        n.put("api_filter_flag", apiFilterFlag);
        n.put("filters_honoured", filtersHonoured);
        n.put("from_inclusive", fromInclusive);
        n.put("to_inclusive", toInclusive);
        n.put("ties", ties);
        n.put("events_page_max", eventsPageMax);
        n.put("link_bumps_updated_at", linkBumpsUpdatedAt);
        n.put("restore_bumps_updated_at", restoreBumpsUpdatedAt);
        n.put("requests", requests);
        return n.toString();
    }

    /** The probes in {@code json}; null when there are none, or when the text is not what {@link #toJson} writes. */
    public static AccountProbes parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            if (!n.isObject()) {
                throw new IOException("not a JSON object");
            }
            String at = text(n, "probed_at");
            return new AccountProbes(
                    at == null ? null : Instant.parse(at),
                    bool(n, "api_filter_flag"),
                    bool(n, "filters_honoured"),
                    bool(n, "from_inclusive"),
                    bool(n, "to_inclusive"),
                    text(n, "ties"),
                    n.path("events_page_max").isInt() ? n.get("events_page_max").intValue() : null,
                    bool(n, "link_bumps_updated_at"),
                    bool(n, "restore_bumps_updated_at"),
                    n.path("requests").asLong(0));
        } catch (IOException | DateTimeParseException e) {
            // Probes only save requests: unreadable ones are ignored, never a failed run.
            LOG.warn(
                    "_sync_state holds unreadable probe results ({}); ignoring them: run `doctor --probe` again",
                    e.toString());
            return null;
        }
    }

    private static Boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isBoolean() ? null : v.booleanValue();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }
}
