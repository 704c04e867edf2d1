package io.amocrmetl.auth;

import io.amocrmetl.config.EtlConfig;
import java.io.PrintStream;

/**
 * Installs the deletion webhooks when {@code auth exchange} connects an account with
 * {@code webhooks.destination} set (docs/connecting.md: they are registered automatically when
 * the source connects). {@code EtlMain} passes {@code webhooks install}
 * ({@code io.amocrmetl.webhooks.WebhookSubscription}); it is an interface so this package need not
 * depend on the webhooks package. It runs after the token pair is stored, so it may build its own
 * client from the config. Exchange never calls it when the destination is unset.
 */
@FunctionalInterface
public interface WebhookInstaller {
    /** Installs the deletion webhooks for {@code config.webhooks().destination()} (idempotent); prints what it did. */
    void install(EtlConfig config, PrintStream out);
}
