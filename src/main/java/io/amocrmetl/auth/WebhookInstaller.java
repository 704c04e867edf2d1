package io.amocrmetl.auth;

import io.amocrmetl.config.EtlConfig;
import java.io.PrintStream;

/**
 * HOOK POINT for the deletion webhooks {@code auth exchange} installs when
 * {@code webhooks.destination} is set (DESIGN.md "Connect": they are registered automatically when
 * the source connects). Installing them is {@code webhooks install}, package
 * {@code io.amocrmetl.webhooks}, built on another branch: once both are merged, {@code EtlMain}
 * passes an installer that calls it instead of {@link #NOT_WIRED}. It runs after the token pair
 * is stored, so it may build its own client from the config. Exchange never calls it when the
 * destination is unset.
 */
@FunctionalInterface
public interface WebhookInstaller {
    /** Installs the deletion webhooks for {@code config.webhooks().destination()} (idempotent); prints what it did. */
    void install(EtlConfig config, PrintStream out);

    /** The installer of a build without {@code webhooks install}: says how to install them. */
    WebhookInstaller NOT_WIRED = (config, out) -> out.println("  webhooks  not installed by this build: run `webhooks "
            + "install` with the same config to register the deletion webhooks");
}
