package io.amocrmetl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoApiException;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;

/**
 * The account a token opens and who it speaks for (docs/amocrm-api.md §2.4): {@code /api/v4/account} gives
 * the account and {@code current_user_id}, {@code /api/v4/users/{id}} gives {@code rights.is_admin}.
 * Only an admin may connect (docs/connecting.md): the users list and webhooks are admin-only
 * (docs/amocrm-api.md §2.4, §6.1). A permission 403 on the user means "not an admin" too.
 *
 * @param rightsReadable false when reading the user's own rights was refused (403)
 * @param apiFilters the account's {@code is_api_filter_enabled} (null when it does not say)
 */
public record AccountFacts(
        long id,
        String name,
        String subdomain,
        long userId,
        String userName,
        boolean admin,
        boolean rightsReadable,
        Boolean apiFilters,
        String customersMode) {

    /** Two requests: the account, then the connecting user. */
    public static AccountFacts read(AmoClient client) {
        JsonNode account = client.getObject(Entities.get(Tables.ACCOUNT).path());
        if (account == null
                || !account.path("id").isNumber()
                || !account.path("current_user_id").isNumber()) {
            throw new EtlException(
                    ExitCode.UNEXPECTED, "GET /api/v4/account answered without an account id and " + "current_user_id");
        }
        long userId = account.get("current_user_id").asLong();
        JsonNode user;
        boolean readable = true;
        try {
            user = client.getObject(Entities.get(Tables.USERS).path() + "/" + userId);
        } catch (AmoApiException e) {
            if (e.status() != 403) {
                throw e;
            }
            user = null;
            readable = false;
        }
        Boolean filters = account.path("is_api_filter_enabled").isBoolean()
                ? account.get("is_api_filter_enabled").asBoolean()
                : null;
        return new AccountFacts(
                account.get("id").asLong(),
                account.path("name").asText(""),
                account.path("subdomain").asText(""),
                userId,
                user == null ? null : user.path("name").asText(null),
                user != null && user.path("rights").path("is_admin").asBoolean(false),
                readable,
                filters,
                account.hasNonNull("customers_mode")
                        ? account.get("customers_mode").asText()
                        : null);
    }

    /** "Администратор (id 9000001)", or the id alone when the name is unknown. */
    public String userLabel() {
        return (userName == null ? "user" : userName) + " (id " + userId + ")";
    }

    /** Why this user may not connect, as the fix says it; null for an admin. */
    public String notAdminReason() {
        if (admin) {
            return null;
        }
        return (rightsReadable
                        ? userLabel() + " is not an administrator of account " + subdomain
                        : "amoCRM refused to show " + userLabel()
                                + " its own rights (403), so it is not an administrator of account " + subdomain)
                + ": only an administrator may connect (users and webhooks are admin-only, docs/amocrm-api.md §2.4, "
                + "§6.1). Ask an administrator to open the `auth url` link and allow access";
    }
}
