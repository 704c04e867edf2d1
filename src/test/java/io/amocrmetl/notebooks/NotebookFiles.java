package io.amocrmetl.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads .ipynb files (nbformat 4 JSON) and says what their outputs hold. */
final class NotebookFiles {
    static final Path DIR = Path.of("notebooks");
    private static final ObjectMapper JSON = new ObjectMapper();

    private NotebookFiles() {}

    static List<Path> all(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path nb) {
        try {
            return JSON.readTree(nb.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> codeCells(JsonNode nb) {
        List<JsonNode> out = new ArrayList<>();
        nb.get("cells").forEach(c -> {
            if ("code".equals(c.get("cell_type").asText())) {
                out.add(c);
            }
        });
        return out;
    }

    /** Problems that make the notebook not a clean top-to-bottom run with at least one chart; empty when fine. */
    static List<String> problems(Path path) {
        JsonNode nb = read(path);
        List<String> out = new ArrayList<>();
        int images = 0;
        int expected = 1;
        for (JsonNode cell : codeCells(nb)) {
            JsonNode count = cell.get("execution_count");
            if (count == null || count.isNull()) {
                out.add("a code cell was not run: " + first(cell));
            } else if (count.asInt() != expected) {
                out.add("cells ran out of order (" + count.asInt() + " where " + expected + " was due): "
                        + first(cell));
            }
            expected++;
            for (JsonNode o : cell.get("outputs")) {
                String type = o.get("output_type").asText();
                if (type.equals("error")
                        || (type.equals("stream")
                                && "stderr".equals(o.path("name").asText())
                                && o.path("text").toString().contains("Exception"))) {
                    out.add("a cell failed: " + first(cell) + " -> "
                            + o.toString()
                                    .substring(0, Math.min(300, o.toString().length())));
                }
                if (o.path("data").has("image/png")) {
                    images++;
                }
            }
        }
        if (images == 0) {
            out.add("no chart (image/png output)");
        }
        if (!"amocrm-etl"
                .equals(nb.path("metadata").path("kernelspec").path("name").asText())) {
            out.add("kernelspec is not amocrm-etl");
        }
        return out;
    }

    static int charts(Path path) {
        int n = 0;
        for (JsonNode cell : codeCells(read(path))) {
            for (JsonNode o : cell.get("outputs")) {
                n += o.path("data").has("image/png") ? 1 : 0;
            }
        }
        return n;
    }

    private static String first(JsonNode cell) {
        JsonNode src = cell.get("source");
        String text = src.isArray() && src.size() > 0 ? src.get(0).asText() : src.asText();
        return text.lines().findFirst().orElse("").strip();
    }
}
