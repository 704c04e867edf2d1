package io.amocrmetl.reconcile;

/**
 * Judges a key the list scan found different, so that changes during the check give no false
 * mismatch: both sides are compared as of the server's time when the check began, and a key that
 * changed since then (a newer lake row, a newer re-read, an event naming it, or a re-read that now
 * agrees) is left out. Otherwise it is a mismatch, judged on the re-read. Spark-free.
 * See docs/reconciliation.md; events that do not move updated_at: docs/amocrm-api.md §4.3, §9.
 */
final class KeyJudge {
    enum Verdict {
        EXCLUDED,
        MISMATCH
    }

    private KeyJudge() {}

    /**
     * @param lake the lake's state (null: not in the lake)
     * @param recheck the API's state re-read by id after the scan (null: not listed)
     * @param signalled whether an event since {@code moment} names the key
     * @param moment the server's time the check began (epoch seconds)
     */
    static Verdict judge(KeyState lake, KeyState recheck, boolean signalled, long moment) {
        if (changedSince(lake, moment) || changedSince(recheck, moment) || signalled) {
            return Verdict.EXCLUDED;
        }
        return KeyState.same(lake, recheck) ? Verdict.EXCLUDED : Verdict.MISMATCH;
    }

    /**
     * A repaired key's status, re-read once more: "repaired" when the lake now says what amoCRM
     * says, or when amoCRM changed it again after the moment (the next ingest follows, as its
     * updated_at or an event moved); "still-different" otherwise.
     */
    static Status afterRepair(KeyState lakeNow, KeyState recheck, boolean signalled, long moment) {
        if (KeyState.same(lakeNow, recheck) || changedSince(recheck, moment) || signalled) {
            return Status.REPAIRED;
        }
        return Status.STILL_DIFFERENT;
    }

    private static boolean changedSince(KeyState s, long moment) {
        return s != null && s.updatedAt() >= moment;
    }
}
