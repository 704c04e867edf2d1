package io.amocrmetl.cli;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import io.amocrmetl.core.FailureCause;
import io.amocrmetl.webhooks.WebhookSubscription;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The product's entry point, for {@code spark-submit --class io.amocrmetl.cli.EtlMain} and for
 * the local launcher ({@code jobs/amocrm-etl}), which adds the sandbox-backed commands.
 * Every command is a thin class; failures print one line to stderr and map to
 * {@link ExitCode}s.
 */
@Command(
        name = "amocrm-etl",
        mixinStandardHelpOptions = true,
        versionProvider = EtlMain.Version.class,
        description = "Copies an amoCRM (Kommo) account into a Delta Lake lakehouse, keeps it current, "
                + "proves it matches the CRM, and trims what is too old.",
        footer = {
            "",
            "Exit codes: 0 ok, 1 unexpected, 2 bad config or arguments, 3 auth (re-connect), "
                    + "4 blocked by amoCRM, 5 data check failed, 6 partial (budget ran out; next run resumes)."
        })
public final class EtlMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every product command; launchers may add more before executing. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new EtlMain());
        cl.addSubcommand("ingest", new IngestCommand());
        cl.addSubcommand("reconcile", new ReconcileCommand());
        cl.addSubcommand("journal", new JournalCommand());
        cl.addSubcommand("sql", new SqlCommand());
        cl.addSubcommand("migrate", new MigrateCommand());
        // `auth exchange` installs the deletion webhooks when webhooks.destination is set (docs/connecting.md).
        cl.addSubcommand("auth", AuthCommand.commandLine(WebhookSubscription::install));
        cl.addSubcommand("doctor", new DoctorCommand());
        cl.addSubcommand("marts", new MartsCommand());
        cl.addSubcommand("retention", new RetentionCommand());
        cl.addSubcommand("webhooks", new WebhooksCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            // A failure inside a Spark task arrives wrapped: its code is still ours to exit with.
            Optional<EtlException> ours = FailureCause.of(ex);
            if (ours.isPresent() && (ours.get() == ex || ours.get().exitCode() != ExitCode.UNEXPECTED)) {
                err.println("amocrm-etl: " + ours.get().getMessage());
                err.flush();
                return ours.get().exitCode().code;
            }
            err.println("amocrm-etl: unexpected error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return ExitCode.UNEXPECTED.code;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("amocrm-etl: " + ex.getMessage() + " (see --help)");
            err.flush();
            return ExitCode.BAD_CONFIG.code;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = EtlMain.class.getPackage().getImplementationVersion();
            return new String[] {"amocrm-etl " + (v == null ? "dev" : v)};
        }
    }
}
