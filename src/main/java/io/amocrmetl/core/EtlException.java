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

    /**
     * Names the exit code: Spark sends a task's failure back to the driver as this text when it
     * cannot send the exception itself, and {@link FailureCause} reads the code from it.
     */
    @Override
    public String toString() {
        return getClass().getName() + " (exit " + exitCode.code + "): " + getMessage();
    }
}
