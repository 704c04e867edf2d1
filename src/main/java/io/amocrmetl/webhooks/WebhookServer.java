package io.amocrmetl.webhooks;

import io.amocrmetl.api.AmoClient;
import io.amocrmetl.catalog.Entities;
import io.amocrmetl.catalog.Tables;
import io.amocrmetl.config.AmoSettings;
import io.amocrmetl.config.EtlConfig;
import io.amocrmetl.config.WebhookSettings;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * {@code webhooks serve}: opens the landing, starts the {@link Receiver} on {@code webhooks.listen}
 * and runs until the process is stopped; a stop (SIGTERM, Ctrl-C) lets requests in flight finish
 * and leaves the open file ready for ingest. The account it accepts comes from the landing folder
 * ({@code webhooks install} keeps it there); only when it is missing does it ask the API once. It
 * lands into that account's own folder, {@code account_id=<id>/}, so receivers of several accounts
 * may share one landing path (docs/webhooks.md: landing).
 */
public final class WebhookServer {
    /** A local log file moves to ready/ at this size, or at {@code webhooks.rotate-after}'s age (ingest also reads the open one). */
    static final long ROTATE_BYTES = 8L << 20;

    private WebhookServer() {}

    /** Starts a receiver for the configuration; the caller closes it. */
    public static Receiver start(EtlConfig config, PrintStream log) {
        WebhookSettings s = config.webhooks();
        String path = URI.create(s.requireDestination()).getRawPath();
        LandingFiles files = LandingFiles.of(s, null);
        AccountIdentity account = account(config, files);
        String folder = LandingFiles.accountFolder(account.id());
        Landing landing;
        try {
            landing = s.objectLanding()
                    ? new ObjectLanding(files.under(folder))
                    : new LogLanding(
                            LandingFiles.localPath(s.landingPath()).resolve(folder),
                            ROTATE_BYTES,
                            s.rotateAfter().toMillis());
        } catch (IOException e) {
            throw new EtlException(
                    ExitCode.UNEXPECTED,
                    "cannot open the webhook landing " + s.landingPath() + ": " + e.getMessage(),
                    e);
        }
        try {
            Receiver r = Receiver.start(
                    Receiver.Options.defaults(path, s.listenHost(), s.listenPort(), account), landing, log);
            log.printf(
                    "webhooks serve: listening on %s:%d for %s, account %d (%s); landing: %s%n",
                    s.listenHost(),
                    r.port(),
                    Destinations.redact(s.destination()),
                    account.id(),
                    account.subdomain(),
                    landing.describe());
            return r;
        } catch (IOException e) {
            throw new EtlException(
                    ExitCode.UNEXPECTED,
                    "config key 'webhooks.listen': cannot bind " + s.listenHost() + ":" + s.listenPort() + " ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    /** Serves until the process is stopped. */
    public static int serve(EtlConfig config, PrintStream log) {
        long started = System.nanoTime();
        Receiver r = start(config, log);
        log.printf(
                "webhooks serve: ready in %d ms (health: GET %s)%n",
                (System.nanoTime() - started) / 1_000_000, Receiver.HEALTH);
        log.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            r.close();
                            log.printf(
                                    "webhooks serve: stopped after %d accepted and %d refused requests%n",
                                    r.accepted(), r.refused());
                            log.flush();
                            stopped.countDown();
                        },
                        "webhook-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK.code;
    }

    private static AccountIdentity account(EtlConfig config, LandingFiles files) {
        String source = config.amocrm().sourceName();
        try {
            AccountIdentity kept = AccountIdentity.load(files, source);
            if (kept != null) {
                return kept;
            }
        } catch (IOException e) {
            throw new EtlException(
                    ExitCode.UNEXPECTED,
                    "cannot read " + AccountIdentity.file(source) + " in the webhook landing "
                            + config.webhooks().landingPath() + ": " + e.getMessage(),
                    e);
        }
        AmoSettings amo = config.amocrm().requireAuth();
        AccountIdentity fetched;
        try {
            fetched = AccountIdentity.of(AmoClient.connect(amo, Clock.systemUTC())
                    .getObject(Entities.get(Tables.ACCOUNT).path()));
        } catch (IllegalArgumentException e) {
            throw new EtlException(ExitCode.UNEXPECTED, e.getMessage());
        }
        try {
            fetched.save(files, source);
        } catch (IOException e) {
            throw new EtlException(
                    ExitCode.UNEXPECTED,
                    "cannot write " + AccountIdentity.file(source) + " to the webhook landing "
                            + config.webhooks().landingPath() + ": " + e.getMessage(),
                    e);
        }
        return fetched;
    }
}
