package io.amocrmetl.doctor;

import io.amocrmetl.core.ExitCode;

/**
 * One line of {@code doctor}: a check's outcome, what it found, and for a warning or an error the
 * fix. An error carries the exit code the matching failure of a real run would have.
 */
record Check(Level level, String name, String message, String fix, ExitCode code) {
    enum Level {
        OK("ok"),
        WARNING("warning"),
        ERROR("error"),
        PROBE("probe");

        final String label;

        Level(String label) {
            this.label = label;
        }
    }

    static Check ok(String name, String message) {
        return new Check(Level.OK, name, message, null, ExitCode.OK);
    }

    static Check warning(String name, String message, String fix) {
        return new Check(Level.WARNING, name, message, fix, ExitCode.OK);
    }

    static Check error(String name, String message, String fix, ExitCode code) {
        return new Check(Level.ERROR, name, message, fix, code);
    }

    static Check probe(String name, String message) {
        return new Check(Level.PROBE, name, message, null, ExitCode.OK);
    }

    /** {@code "  warning  token        ... Fix: ..."}: one line. */
    String line() {
        return String.format("  %-8s %-13s %s%s", level.label, name, message, fix == null ? "" : ". Fix: " + fix);
    }
}
