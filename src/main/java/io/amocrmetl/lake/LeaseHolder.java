package io.amocrmetl.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Who holds an account's lease: the content of its lease file, for the "busy" message. */
record LeaseHolder(String runId, String job, String host, long pid, Instant since) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A lease file that cannot be read (being written, or not ours to parse). */
    static final LeaseHolder UNKNOWN = new LeaseHolder("?", "a job", "an unknown host", -1, null);

    String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("run_id", runId);
        n.put("job", job);
        n.put("host", host);
        n.put("pid", pid);
        n.put("since", since.toString());
        return n.toString();
    }

    static LeaseHolder parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.hasNonNull("run_id")) {
                return UNKNOWN;
            }
            Instant since = n.hasNonNull("since") ? Instant.parse(n.get("since").asText()) : null;
            return new LeaseHolder(
                    n.get("run_id").asText(),
                    n.path("job").asText("a job"),
                    n.path("host").asText("an unknown host"),
                    n.path("pid").asLong(-1),
                    since);
        } catch (IOException | DateTimeParseException e) {
            return UNKNOWN;
        }
    }

    /** "ingest run 1a2b3c4d on host h (pid 42) since 2026-12-07T05:00:00Z" */
    String describe() {
        String run = runId.length() > 8 ? runId.substring(0, 8) : runId;
        return job + " run " + run + " on host " + host + (pid >= 0 ? " (pid " + pid + ")" : "")
                + (since == null ? "" : " since " + since);
    }
}
