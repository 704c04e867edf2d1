package io.amocrmetl.sandbox.data;

/**
 * Every behaviour the reference marks [UNVERIFIED] or contradictory (its §9) that affects reading
 * or deleting, as a switch that tests flip at run time, so the product is tested under each
 * reading (DESIGN.md "Fidelity switches"). Defaults are the reading the reference calls most
 * likely; each switch names its section.
 */
public final class Fidelity {
    /** Which token-request bodies {@code /oauth2/access_token} accepts (§9.11). */
    public enum TokenBody { JSON, FORM, BOTH }

    /** Which form of events {@code filter[created_at]} the server understands (§4.3). */
    public enum CreatedAtForm { RANGE, COMMA, BOTH }

    /** {@code filter[...][from]} includes its bound (§9: bounds are undocumented). */
    public volatile boolean fromInclusive = true;
    /** {@code filter[...][to]} includes its bound. */
    public volatile boolean toInclusive = true;
    /** The events page cap: 100 (RU docs) or 250 (Kommo docs), §9.6. */
    public volatile int eventsPageMax = 100;
    /** What the account reports as {@code is_api_filter_enabled} (§4.2, §9.9). */
    public volatile boolean apiFilterEnabled = true;
    /**
     * Whether entity list filters are honoured. Normally this follows
     * {@link #apiFilterEnabled}; set it apart to model an account that claims filters but
     * ignores them (the product's page check must catch that).
     */
    public volatile boolean honourFilters = true;
    /** Whether linking or unlinking moves the entities' {@code updated_at} [UNVERIFIED]. */
    public volatile boolean linkBumpsUpdatedAt = true;
    /** Whether a contact merge moves the survivor's {@code updated_at} [UNVERIFIED]. */
    public volatile boolean mergeBumpsUpdatedAt = true;
    /** Whether a restore moves the entity's {@code updated_at} [UNVERIFIED]. */
    public volatile boolean restoreBumpsUpdatedAt = true;
    public volatile TokenBody tokenBody = TokenBody.BOTH;
    public volatile CreatedAtForm eventsCreatedAt = CreatedAtForm.BOTH;

    /** Sets the reported flag and the behaviour together, as a consistent account does. */
    public Fidelity apiFilters(boolean enabled) {
        apiFilterEnabled = enabled;
        honourFilters = enabled;
        return this;
    }
}
