package io.amocrmetl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.amocrmetl.api.AmoApiException;
import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.api.FieldNames;
import io.amocrmetl.api.OAuthTokens;
import io.amocrmetl.api.TokenPair;
import io.amocrmetl.api.TokenStore;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code auth exchange --code C}: trades the authorization code for the token pair (docs/amocrm-api.md
 * §1.2), then checks the connection before keeping anything: the account must be the one
 * {@code amocrm.base-url} names (the consent page's {@code referer} says which account approved;
 * the config wins, a mismatch is an error), and the connecting user must be an admin. Only then
 * are the pair (atomically, mode 0600) and the {@link ConnectionRecord} written, the GA and
 * request-id field names resolved to ids, and the deletion webhooks installed.
 */
public final class CodeExchange {
    private static final Pattern DETAIL = Pattern.compile("answered \\d+[^:]*: ([^.]+)");

    private CodeExchange() {}

    /**
     * @return 0 when connected; 2 (after connecting) when a configured field name matches no field
     * @throws EtlException when nothing was kept: a bad code, a refused user, the wrong account
     */
    public static int run(
            EtlConfig config,
            String codeArg,
            String refererArg,
            WebhookInstaller webhooks,
            PrintStream out,
            Clock clock) {
        AmoSettings amo = ConsentUrl.oauthSettings(config);
        Redirect redirect = Redirect.parse(codeArg, refererArg);
        if (redirect.error() != null) {
            throw new EtlException(
                    ExitCode.AUTH,
                    "the consent page answered error=" + redirect.error() + ": access was "
                            + "not allowed. Run `auth url` again and allow access as an administrator of the account");
        }
        OAuthState.check(amo.stateDir(), redirect.state());
        String host = URI.create(amo.baseUrl()).getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        if (redirect.referer() != null && !loopback && !redirect.referer().equals(host)) {
            // Checked before the code is spent: it belongs to another account.
            throw wrongAccount(redirect.referer(), amo.baseUrl(), "The code was not used.");
        }

        PendingTokens pending = new PendingTokens();
        AmoClient client = new AmoClient(ClientSettings.from(amo), pending);
        TokenPair pair = exchange(client, amo, redirect.code(), clock);
        pending.set(pair);
        AccountFacts facts = AccountFacts.read(client);
        if (redirect.referer() != null && !facts.subdomain().equalsIgnoreCase(redirect.refererSubdomain())) {
            throw wrongAccount(
                    redirect.referer(), amo.baseUrl() + " (account " + facts.subdomain() + ")", "No tokens were kept.");
        }
        if (!facts.admin()) {
            throw new EtlException(ExitCode.AUTH, facts.notAdminReason() + ". No tokens were kept.");
        }
        ConnectionRecord previous = previous(amo);
        if (previous != null && previous.accountId() != facts.id()) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "the token store " + amo.tokenStore() + " belongs to account "
                            + previous.accountId() + " (" + previous.subdomain() + "), but this code connects account "
                            + facts.id()
                            + " (" + facts.subdomain() + "). Each account needs a config of its own, with its own "
                            + "amocrm.source-name (or amocrm.auth.token-store). No tokens were kept.");
        }
        List<FieldNames.Choice> choices = resolveFields(client, amo);

        TokenStore store = new TokenStore(amo.tokenStore());
        store.locked(() -> {
            store.write(pair);
            return null;
        });
        Map<String, ConnectionRecord.MappedField> mapped = new LinkedHashMap<>();
        choices.forEach(c -> mapped.put(c.key(), new ConnectionRecord.MappedField(c.name(), c.id())));
        new ConnectionRecord(
                        facts.id(),
                        facts.name(),
                        facts.subdomain(),
                        amo.baseUrl(),
                        facts.userId(),
                        facts.userName(),
                        true,
                        clock.instant(),
                        mapped)
                .write(amo.stateDir());
        OAuthState.clear(amo.stateDir());

        out.printf("auth exchange: connected; the token pair is stored in %s (mode 0600)%n", store.file());
        out.printf("  account   %d \"%s\" (%s) at %s%n", facts.id(), facts.name(), facts.subdomain(), amo.baseUrl());
        out.printf("  user      %s: administrator%n", facts.userLabel());
        out.printf(
                "  token     access token valid until %s; each refresh rotates the pair, and 3 months without one "
                        + "lapse it (docs/amocrm-api.md §1.3)%n",
                DateTimeFormatter.ISO_INSTANT.format(pair.expiresAt()));
        List<String> missing = new ArrayList<>();
        for (FieldNames.Choice c : choices) {
            if (c.resolved()) {
                out.printf("  field     %s = \"%s\" -> field %d%n", c.key(), c.name(), c.id());
            } else {
                out.printf(
                        "  field     %s = \"%s\" matches no lead field; %s%n", c.key(), c.name(), c.closeMatchesText());
                missing.add(c.key() + " = \"" + c.name() + "\" (" + c.closeMatchesText() + ")");
            }
        }
        if (config.webhooks().destination() == null) {
            out.println("  webhooks  none: webhooks.destination is not set, so deletions come from events only");
        } else {
            try {
                webhooks.install(config, out);
            } catch (EtlException e) {
                out.println(
                        "  webhooks  warning: not installed: " + e.getMessage() + " (run `webhooks install` later)");
            }
        }
        out.println(
                "Next: jobs/amocrm-etl doctor --probe --config <your file>, then jobs/amocrm-etl ingest --config <your file>");
        if (!missing.isEmpty()) {
            throw new EtlException(
                    ExitCode.BAD_CONFIG,
                    "connected, but " + String.join("; ", missing) + " matches no lead "
                            + "custom field of the account: fix the name in the config (its column stays empty until then) and "
                            + "check with `doctor`");
        }
        return ExitCode.OK.code;
    }

    private static TokenPair exchange(AmoClient client, AmoSettings amo, String code, Clock clock) {
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put("client_id", amo.clientId());
        grant.put("client_secret", amo.clientSecret());
        grant.put("grant_type", "authorization_code");
        grant.put("code", code);
        grant.put("redirect_uri", amo.redirectUri());
        JsonNode resp;
        try {
            resp = client.tokenEndpoint().post(grant);
        } catch (AmoApiException e) {
            if (e.status() == 400) {
                throw new EtlException(
                        ExitCode.AUTH,
                        "amoCRM refused the authorization code" + detail(e) + ". A code works "
                                + "once and only for 20 minutes (docs/amocrm-api.md §1.2): run `auth url` again, allow access, and exchange "
                                + "the new address at once");
            }
            if (e.status() == 401) {
                throw new EtlException(
                        ExitCode.BAD_CONFIG,
                        "amoCRM refused the integration's keys" + detail(e) + ": check "
                                + "amocrm.auth.client-id and amocrm.auth.client-secret against the integration's keys");
            }
            throw e;
        }
        return OAuthTokens.fromResponse(resp, clock.instant());
    }

    /** The configured GA and request-id names, resolved against the account's lead fields (none: no request). */
    private static List<FieldNames.Choice> resolveFields(AmoClient client, AmoSettings amo) {
        Map<String, String> names = new LinkedHashMap<>();
        if (amo.gaClientIdField() != null) {
            names.put(FieldNames.KEYS.get(0), amo.gaClientIdField());
        }
        if (amo.requestIdField() != null) {
            names.put(FieldNames.KEYS.get(1), amo.requestIdField());
        }
        List<FieldNames.Choice> out = new ArrayList<>();
        if (names.isEmpty()) {
            return out;
        }
        List<FieldNames.LeadField> fields = FieldNames.fetch(client);
        names.forEach((key, name) -> out.add(FieldNames.choose(key, name, null, fields)));
        return out;
    }

    /** The account this token store was connected to before; an unreadable record is about to be replaced. */
    private static ConnectionRecord previous(AmoSettings amo) {
        try {
            return ConnectionRecord.read(amo.stateDir());
        } catch (EtlException e) {
            return null;
        }
    }

    private static EtlException wrongAccount(String referer, String configured, String kept) {
        return new EtlException(
                ExitCode.BAD_CONFIG,
                "access was allowed on account " + referer + " (the consent page's "
                        + "referer), but amocrm.base-url is " + configured
                        + ", and the config wins. Set amocrm.base-url to https://"
                        + referer
                        + " if that is the account you meant, or run `auth url` again and allow access while signed in "
                        + "to the configured account. " + kept);
    }

    private static String detail(AmoApiException e) {
        Matcher m = DETAIL.matcher(e.getMessage() == null ? "" : e.getMessage());
        return m.find() ? " (" + m.group(1).trim() + ")" : " (HTTP " + e.status() + ")";
    }
}
