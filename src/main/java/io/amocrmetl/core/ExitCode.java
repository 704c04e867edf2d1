package io.amocrmetl.core;

/** Process exit codes (docs/command-line.md, a contract that Airflow retry rules read). */
public enum ExitCode {
    OK(0, "ok"),
    UNEXPECTED(1, "unexpected error"),
    BAD_CONFIG(2, "bad config or arguments"),
    AUTH(3, "auth: re-connect needed"),
    BLOCKED(4, "blocked by amoCRM: do not retry before blocked_until"),
    DATA_CHECK_FAILED(5, "data check failed: reconcile still different"),
    PARTIAL(6, "partial: a budget ran out; the work done is committed and the next run resumes"),
    BUSY(7, "busy: another run holds the account's lease; run again later or with --wait");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The code's constant; UNEXPECTED for a number that is none of ours. */
    public static ExitCode of(int code) {
        for (ExitCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return UNEXPECTED;
    }
}
