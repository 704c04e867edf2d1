package io.amocrmetl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a Spark application's event log says about its amocrm reads: for each stage that scans
 * {@code amocrm.<entity>}, how many tasks (reader partitions) it had and which executors ran them.
 * The log must be written plain (spark.eventLog.compress=false, no rolling).
 */
final class EventLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One stage of an amocrm scan. */
    record Scan(String entity, int stage, int tasks, Set<String> executors) {}

    private EventLog() {}

    /** Every amocrm scan stage of the one application logged under {@code dir}, in stage order. */
    static List<Scan> scans(Path dir) throws IOException {
        Path file;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> apps = s.filter(Files::isRegularFile).toList();
            if (apps.size() != 1) {
                throw new AssertionError("one application's event log expected in " + dir + ": " + apps);
            }
            file = apps.get(0);
        }
        Map<Integer, String> scanStages = new LinkedHashMap<>();
        Map<Integer, Integer> taskCounts = new LinkedHashMap<>();
        Map<Integer, Set<String>> executors = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode e = JSON.readTree(line);
                switch (e.path("Event").asText()) {
                    case "SparkListenerStageSubmitted" -> {
                        JsonNode stage = e.path("Stage Info");
                        for (JsonNode rdd : stage.path("RDD Info")) {
                            // The scan's RDDs carry the operator scope "BatchScan amocrm.<entity>".
                            String scope = rdd.hasNonNull("Scope")
                                    ? JSON.readTree(rdd.get("Scope").asText())
                                            .path("name")
                                            .asText()
                                    : "";
                            if (scope.startsWith("BatchScan amocrm.")) {
                                scanStages.put(
                                        stage.path("Stage ID").asInt(), scope.substring("BatchScan amocrm.".length()));
                                taskCounts.put(
                                        stage.path("Stage ID").asInt(),
                                        stage.path("Number of Tasks").asInt());
                            }
                        }
                    }
                    case "SparkListenerTaskEnd" ->
                        executors
                                .computeIfAbsent(e.path("Stage ID").asInt(), k -> new TreeSet<>())
                                .add(e.path("Task Info").path("Executor ID").asText());
                    default -> {
                        // other events say nothing about reads
                    }
                }
            }
        }
        List<Scan> out = new ArrayList<>();
        scanStages.forEach((stage, entity) ->
                out.add(new Scan(entity, stage, taskCounts.get(stage), executors.getOrDefault(stage, Set.of()))));
        return out;
    }
}
