package io.amocrmetl.cli;

import io.amocrmetl.auth.AuthStatus;
import io.amocrmetl.auth.CodeExchange;
import io.amocrmetl.auth.ConsentUrl;
import io.amocrmetl.auth.WebhookInstaller;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code auth url | exchange --code C | status}: connecting an account with OAuth (docs/amocrm-api.md §1.2–1.3). */
@Command(
        name = "auth",
        mixinStandardHelpOptions = true,
        description = {
            "Connect an amoCRM account with OAuth: `auth url` prints the consent page address, `auth exchange` "
                    + "trades the code it gives for the token pair (an administrator must allow access), `auth status` shows "
                    + "the connection.",
            "See docs/connecting.md."
        })
public final class AuthCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code auth} with its three subcommands; {@code webhooks} installs the deletion webhooks at exchange. */
    static CommandLine commandLine(WebhookInstaller webhooks) {
        CommandLine cl = new CommandLine(new AuthCommand());
        cl.addSubcommand("url", new Url());
        cl.addSubcommand("exchange", new Exchange(webhooks));
        cl.addSubcommand("status", new Status());
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "url",
            mixinStandardHelpOptions = true,
            description = "Print the consent page address to open as an administrator, and the next step.")
    static final class Url implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() {
            return ConsentUrl.print(config.load(), System.out);
        }
    }

    @Command(
            name = "exchange",
            mixinStandardHelpOptions = true,
            description = {
                "Trade the authorization code (valid 20 minutes, once) for the token pair; check that the "
                        + "user is an administrator of the configured account; store the pair (mode 0600); resolve the GA and "
                        + "request-id field names; install the deletion webhooks when webhooks.destination is set."
            })
    static final class Exchange implements Callable<Integer> {
        private final WebhookInstaller webhooks;

        @Mixin
        ConfigOptions config;

        @Option(
                names = "--code",
                required = true,
                paramLabel = "CODE",
                description = "The code, or better the whole address the consent page opened, in quotes.")
        String code;

        @Option(
                names = "--referer",
                paramLabel = "HOST",
                description = "The account that allowed access (the address's referer), when --code is the bare code.")
        String referer;

        Exchange(WebhookInstaller webhooks) {
            this.webhooks = webhooks;
        }

        @Override
        public Integer call() {
            return CodeExchange.run(config.load(), code, referer, webhooks, System.out, Clock.systemUTC());
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show the connected account, user and admin flag, token expiry and last rotation, and any "
                    + "blocked_until; no secret, no request.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() {
            return AuthStatus.print(config.load(), System.out, Clock.systemUTC());
        }
    }
}
