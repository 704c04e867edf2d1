package io.amocrmetl.testing;

import io.amocrmetl.cli.EtlMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The product's command line in-process, as a user runs it: exit code, what it printed, and its stderr line. */
public final class Cli {
    private Cli() {}

    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs {@code args} with System.out captured (commands print their results there). */
    public static Result run(List<String> args) {
        StringWriter err = new StringWriter();
        ThreadStdout.Captured<Integer> run = ThreadStdout.capture(() -> {
            CommandLine cl = EtlMain.commandLine();
            cl.setErr(new PrintWriter(err, true));
            cl.setOut(new PrintWriter(System.out, true));
            return cl.execute(args.toArray(new String[0]));
        });
        Result r = new Result(run.value(), run.out(), err.toString());
        System.out.print(r.out());
        System.err.print(r.err());
        return r;
    }

    /** {@code command...} followed by {@code --set k=v} for each config key. */
    public static List<String> args(Map<String, String> config, String... command) {
        List<String> out = new ArrayList<>(List.of(command));
        config.forEach((k, v) -> {
            out.add("--set");
            out.add(k + "=" + v);
        });
        return out;
    }
}
