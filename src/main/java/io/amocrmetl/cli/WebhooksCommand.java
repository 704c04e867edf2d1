package io.amocrmetl.cli;

import io.amocrmetl.webhooks.WebhookServer;
import io.amocrmetl.webhooks.WebhookSubscription;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code webhooks install | status | uninstall | serve}: deletion webhooks (docs/amocrm-api.md §6). No Spark. */
@Command(
        name = "webhooks",
        mixinStandardHelpOptions = true,
        description = {
            "Deletion webhooks: subscribe the account (install, status, uninstall) and receive the "
                    + "deliveries (serve); each ingest applies what the receiver landed."
        },
        subcommands = {
            WebhooksCommand.Install.class,
            WebhooksCommand.Status.class,
            WebhooksCommand.Uninstall.class,
            WebhooksCommand.Serve.class
        })
public final class WebhooksCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "install",
            mixinStandardHelpOptions = true,
            description =
                    "Subscribe webhooks.destination to the "
                            + "delete and restore actions (admin only). Installing twice changes nothing; a disabled webhook is enabled again.")
    public static final class Install implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() {
            return WebhookSubscription.install(config.load(), System.out);
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show the webhook's settings, whether amoCRM "
                    + "disabled it, and what waits in the landing folder.")
    public static final class Status implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() {
            return WebhookSubscription.status(config.load(), System.out);
        }
    }

    @Command(
            name = "uninstall",
            mixinStandardHelpOptions = true,
            description = "Remove the webhook of webhooks.destination.")
    public static final class Uninstall implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() {
            return WebhookSubscription.uninstall(config.load(), System.out);
        }
    }

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = "Receive deliveries on webhooks.listen and "
                    + "land them in webhooks.landing-path until stopped (SIGTERM or Ctrl-C).")
    public static final class Serve implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() {
            return WebhookServer.serve(config.load(), System.out);
        }
    }
}
