package io.amocrmetl.reconcile;

/**
 * Judges a key the list scan found different (docs/reconciliation.md: changes during the check
 * give no false mismatch). Source and lake are compared as of one moment, the server's time when
 * the check began: a key is left out on both sides when it changed since then, i.e. when
 * <ul>
 *   <li>the lake's row is that new (an ingest ran meanwhile);</li>
 *   <li>the re-read by id ({@code filter[id][]}) finds updated_at at or after the moment;</li>
 *   <li>an event since the moment names it (a delete, restore, link or tag change, which need not
 *   move updated_at, docs/amocrm-api.md §4.3, §9); or</li>
 *   <li>the re-read agrees with the lake after all (something changed under the scan).</li>
 * </ul>
 * Otherwise it is a mismatch, judged on the re-read, the freshest view. Spark-free.
 */
final class KeyJudge {
    enum Verdict { EXCLUDED, MISMATCH }

    private KeyJudge() {
    }

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
