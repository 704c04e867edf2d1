package io.amocrmetl.sandbox.data;

/**
 * Every behaviour amoCRM's documentation leaves unverified or contradictory (docs/amocrm-api.md §9)
 * that affects reading or deleting, as a switch that tests flip at run time, so the product is
 * tested under each reading (docs/sandbox.md). Defaults are the most likely reading; each switch
 * names its section of docs/amocrm-api.md.
 */
public final class Fidelity {
    /** Which token-request bodies {@code /oauth2/access_token} accepts (docs/amocrm-api.md §9.11). */
    public enum TokenBody {
        JSON,
        FORM,
        BOTH
    }

    /** Which form of events {@code filter[created_at]} the server understands (docs/amocrm-api.md §4.3). */
    public enum CreatedAtForm {
        RANGE,
        COMMA,
        BOTH
    }

    /** {@code filter[...][from]} includes its bound (docs/amocrm-api.md §9: bounds are undocumented). */
    public volatile boolean fromInclusive = true;
    /** {@code filter[...][to]} includes its bound. */
    public volatile boolean toInclusive = true;
    /** The events page cap: 100 (RU docs) or 250 (Kommo docs), docs/amocrm-api.md §9.6. */
    public volatile int eventsPageMax = 100;
    /** What the account reports as {@code is_api_filter_enabled} (docs/amocrm-api.md §4.2, §9.9). */
    public volatile boolean apiFilterEnabled = true;
    /**
     * Whether entity list filters are honoured. Normally this follows
     * {@link #apiFilterEnabled}; set it apart to model an account that claims filters but
     * ignores them (the product's page check must catch that).
     */
    public volatile boolean honourFilters = true;
    /**
     * How records with the same order key come [UNVERIFIED: amoCRM's documentation says nothing]: false
     * orders them by id, the same way as the key; true reverses each run of equal keys (ids
     * descending under {@code order[updated_at]=asc}). Either way the order is stable, so page
     * numbers within one dense second stay meaningful; {@code doctor --probe} reports which.
     */
    public volatile boolean tiesReversed = false;
    /**
     * Whether {@code GET /api/v4/users/{id}} is admin-only like the users list (docs/amocrm-api.md §2.4 says the list
     * is; a single user is not documented [UNVERIFIED]). False lets a non-admin read any user, so
     * its {@code rights.is_admin} shows false instead of a 403.
     */
    public volatile boolean userByIdAdminOnly = true;
    /** Whether linking or unlinking moves the entities' {@code updated_at} [UNVERIFIED]. */
    public volatile boolean linkBumpsUpdatedAt = true;
    /** Whether a contact merge moves the survivor's {@code updated_at} [UNVERIFIED]. */
    public volatile boolean mergeBumpsUpdatedAt = true;
    /** Whether a restore moves the entity's {@code updated_at} [UNVERIFIED]. */
    public volatile boolean restoreBumpsUpdatedAt = true;

    public volatile TokenBody tokenBody = TokenBody.BOTH;
    public volatile CreatedAtForm eventsCreatedAt = CreatedAtForm.BOTH;
    /**
     * How many days of event history {@code /api/v4/events} still lists (docs/amocrm-api.md §4.3, §9.3: retention is
     * not documented). Events created more than this many days before the sandbox clock's now
     * are no longer listed; ground truth keeps them. 0 keeps every event.
     */
    public volatile int eventsRetentionDays = 0;
    /**
     * How many days a deleted entity stays in the recycle bin (docs/amocrm-api.md §7, §9.4: not documented). Once
     * its deletion is older than this, it drops out of {@code with=only_deleted} and can no
     * longer be restored. 0 keeps deleted entities restorable forever.
     */
    public volatile int binRetentionDays = 0;
    /**
     * The highest page number a paged list serves (docs/amocrm-api.md §3.5, §9.5: no cap is documented). A page
     * above it answers 204 with no body, the answer for "no data" (docs/amocrm-api.md §3.3): a cap would most
     * plausibly look like the end of the list, which is the case a reader that stops on 204
     * silently under-reads. 0 means no cap.
     */
    public volatile int maxPage = 0;
    /**
     * The {@code limit} cap of {@code /custom_fields} lists: 50 ("up to 50 per request") or 250
     * (the {@code limit} maximum on the same page), docs/amocrm-api.md §2.1, §9.7.
     */
    public volatile int customFieldsPageMax = 50;
    /**
     * Whether {@code filter[statuses]} takes only one pipeline/status pair, as one Kommo reference
     * note says (docs/amocrm-api.md §4.2, §9.8); more pairs then answer 400 problem+json naming
     * {@code filter[statuses]}. False accepts any number of pairs, as the filtration article's
     * examples do.
     */
    public volatile boolean statusesSinglePair = false;
    /**
     * What a single-item GET of a missing or deleted id answers: 204 (reported, docs/amocrm-api.md §3.3, §7;
     * secondary only) or 404 problem+json.
     */
    public volatile int missingIdStatus = 204;

    /** Sets the reported flag and the behaviour together, as a consistent account does. */
    public Fidelity apiFilters(boolean enabled) {
        apiFilterEnabled = enabled;
        honourFilters = enabled;
        return this;
    }
}
