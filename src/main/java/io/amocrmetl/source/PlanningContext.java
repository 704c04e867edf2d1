package io.amocrmetl.source;

import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.AuthProvider;
import io.amocrmetl.api.ClientSettings;
import io.amocrmetl.catalog.EndpointFacts;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * What the driver gathers before it plans a read, and the only part of planning that does I/O:
 * the configuration (file and keys given as options), the account's context (requests unless
 * hinted) and a fresh access token for the executors. {@link ReadPlanner} then plans from plain
 * values.
 *
 * @param settings the API client's settings (base URL, rate budget, timeouts)
 * @param window the longest cursor window, in seconds: the option, else the configuration's
 */
record PlanningContext(ClientSettings settings, AccountContext account, String token, long window) {
    /** A token handed to executors stays valid at least this long (it lives 24 h, docs/amocrm-api.md §1.3). */
    static final Duration TOKEN_MIN_VALIDITY = Duration.ofHours(2);

    static PlanningContext open(ReadConf conf) {
        EtlConfig config = EtlConfig.load(conf.configFile(), conf.configKeys());
        AmoSettings amo = config.amocrm().requireAuth();
        ClientSettings settings = ClientSettings.from(amo);
        AuthProvider auth = AuthProvider.of(amo, Clock.systemUTC());
        AmoClient client = new AmoClient(settings, auth);
        boolean catalogs = conf.spec().perCatalog() || EndpointFacts.alsoPerCatalog(conf.spec());
        AccountContext account = AccountContext.resolve(client, conf, catalogs);
        String token = auth.accessToken(client.tokenEndpoint(), TOKEN_MIN_VALIDITY);
        return new PlanningContext(
                settings, account, token, conf.window(config.ingest().window()).getSeconds());
    }

    @Override
    public String toString() {
        return "PlanningContext[" + settings.baseUrl() + ", account " + account.accountId() + ", token=***]";
    }
}
