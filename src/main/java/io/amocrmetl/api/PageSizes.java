package io.amocrmetl.api;

/**
 * The largest page each list endpoint serves (docs/amocrm-api.md §2.1, §3.1). Events use 100: the RU docs
 * say 100 and Kommo's say 250 (docs/amocrm-api.md §9.6), and asking for 250 where the cap is 100 silently returns
 * 100, which the walk handles; asking for 100 is right under both readings. Custom fields come at
 * most 50 per page whatever {@code limit} says (docs/amocrm-api.md §9.7).
 */
public final class PageSizes {
    public static final int DEFAULT = 250;
    public static final int EVENTS = 100;
    public static final int CUSTOM_FIELDS = 50;

    private PageSizes() {}

    /** The page size for a list path such as {@code /api/v4/events} or {@code /api/v4/leads/custom_fields}. */
    public static int of(String path) {
        if (path.endsWith("/events")) {
            return EVENTS;
        }
        if (path.endsWith("/custom_fields")) {
            return CUSTOM_FIELDS;
        }
        return DEFAULT;
    }
}
