package io.amocrmetl.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.ListRequest;
import io.amocrmetl.api.PageConsumer;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.Tables;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the planner must know of the account (docs/amocrm-api.md §2.4): its id (every row carries it),
 * whether its API filters are on (§4.2), whether customers are available, its lists, and when it
 * was created (nothing in it is older, so windows start there). Read with one request (two for
 * lists), unless the caller passes them as hints.
 */
record AccountContext(
        long accountId,
        boolean apiFilters,
        String customersMode,
        List<Long> catalogs,
        Instant serverNow,
        Long createdAt) {

    AccountContext(long accountId, boolean apiFilters, String customersMode, List<Long> catalogs, Instant serverNow) {
        this(accountId, apiFilters, customersMode, catalogs, serverNow, null);
    }

    /** Customers endpoints answer 402 unless the account uses them (docs/amocrm-api.md §2.4 "Customer"). */
    boolean customersAvailable() {
        return customersMode == null || !(customersMode.equals("unavailable") || customersMode.equals("disabled"));
    }

    /** The account as the hints in {@code conf} give it, asking the API only for what they leave out. */
    static AccountContext resolve(AmoClient client, ReadConf conf, boolean needCatalogs) {
        long accountId;
        boolean apiFilters;
        Long createdAt = null;
        String customersMode = conf.customersMode();
        if (conf.accountId() != null && conf.apiFilters() != null) {
            accountId = conf.accountId();
            apiFilters = conf.apiFilters();
        } else {
            JsonNode account = client.getObject(Entities.get(Tables.ACCOUNT).path());
            accountId = account.path("id").asLong();
            // The SDK reads is_api_filter_enabled (docs/amocrm-api.md §2.4); absent means the filters work.
            apiFilters = !account.has("is_api_filter_enabled")
                    || account.path("is_api_filter_enabled").asBoolean(true);
            if (account.path(Columns.CREATED_AT).isNumber()) {
                createdAt = account.path(Columns.CREATED_AT).asLong();
            }
            if (customersMode == null && account.hasNonNull("customers_mode")) {
                customersMode = account.path("customers_mode").asText();
            }
        }
        List<Long> catalogs = new ArrayList<>();
        if (needCatalogs) {
            if (conf.catalogs() != null) {
                // A hint, possibly empty (lists not loaded): no request.
                catalogs.addAll(conf.catalogs());
            } else {
                client.walk(
                        ListRequest.of(
                                Entities.get(Tables.CATALOGS).path(),
                                Entities.get(Tables.CATALOGS).embedded()),
                        new PageConsumer() {
                            @Override
                            public void item(JsonParser p) throws IOException {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String f = p.currentName();
                                    p.nextToken();
                                    if (f.equals("id")) {
                                        catalogs.add(p.getLongValue());
                                    } else {
                                        p.skipChildren();
                                    }
                                }
                            }
                        });
            }
        }
        Instant now = client.lastServerDate() != null ? client.lastServerDate() : Instant.now();
        return new AccountContext(accountId, apiFilters, customersMode, List.copyOf(catalogs), now, createdAt);
    }
}
