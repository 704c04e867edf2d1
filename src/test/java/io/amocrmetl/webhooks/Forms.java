package io.amocrmetl.webhooks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Delivery bodies written by hand in PHP's http_build_query form (docs/amocrm-api.md §6.2), for the tests. */
final class Forms {
    static final AccountIdentity ACCOUNT = new AccountIdentity(31_000_001L, "testacc");
    private final List<String> pairs = new ArrayList<>();

    static Forms delivery() {
        return new Forms();
    }

    Forms field(String key, String value) {
        pairs.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8));
        return this;
    }

    /** A raw pair, not encoded (for broken encodings). */
    Forms raw(String pair) {
        pairs.add(pair);
        return this;
    }

    Forms account(long id, String subdomain) {
        return field("account[subdomain]", subdomain)
                .field("account[id]", String.valueOf(id))
                .field("account[_links][self]", "https://" + subdomain + ".amocrm.ru");
    }

    Forms account() {
        return account(ACCOUNT.id(), ACCOUNT.subdomain());
    }

    Forms leadDelete(int i, long id) {
        return field("leads[delete][" + i + "][id]", String.valueOf(id))
                .field("leads[delete][" + i + "][status_id]", "142")
                .field("leads[delete][" + i + "][pipeline_id]", "3001");
    }

    String text() {
        return String.join("&", pairs);
    }

    byte[] bytes() {
        return text().getBytes(StandardCharsets.US_ASCII);
    }
}
