package io.amocrmetl.core;

/**
 * A failure that ends a command with a known exit code and one clear line for stderr. The
 * message must never hold a token or secret.
 */
public class EtlException extends RuntimeException {
    private final ExitCode exitCode;

    public EtlException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public EtlException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
