package io.amocrmetl.core;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The product's own failure inside whatever wraps it. A failure raised in a Spark task (a block, an
 * auth failure, a 402 met while reading pages) reaches the driver wrapped in Spark's exception: with
 * the original as its cause when Spark could send it back, else only as text, which
 * {@link EtlException#toString()} makes carry the exit code (docs/command-line.md, "Exit codes").
 */
public final class FailureCause {
    private static final Pattern AS_TEXT =
            Pattern.compile("io\\.amocrmetl\\.[\\w.$]+ \\(exit (\\d{1,3})\\): ([^\\r\\n]*)");

    private FailureCause() {}

    /**
     * The first of ours in the causes that says more than "unexpected", else the first of ours, else
     * one rebuilt from a task failure's text; empty when none is there.
     */
    public static Optional<EtlException> of(Throwable failure) {
        EtlException unexpected = null;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof EtlException e) {
                if (e.exitCode() != ExitCode.UNEXPECTED) {
                    return Optional.of(e);
                }
                unexpected = unexpected == null ? e : unexpected;
            }
        }
        seen.clear();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            Matcher m = AS_TEXT.matcher(String.valueOf(t.getMessage()));
            while (m.find()) {
                ExitCode code = ExitCode.of(Integer.parseInt(m.group(1)));
                if (code != ExitCode.UNEXPECTED && code != ExitCode.OK) {
                    return Optional.of(new EtlException(code, m.group(2), failure));
                }
            }
        }
        return Optional.ofNullable(unexpected);
    }
}
