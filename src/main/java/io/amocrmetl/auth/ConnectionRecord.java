package io.amocrmetl.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amocrmetl.catalog.Columns;
import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code auth exchange} learnt when the account connected, kept beside the token store as
 * {@value #FILE} (no secret in it): the account, the connecting user and their admin flag, and the
 * GA and request-id field names resolved to field ids, so a later rename does not lose the column
 * ({@code doctor} warns about it; docs/connecting.md).
 *
 * @param fields per config key ({@code amocrm.custom-fields.ga-client-id}, ...), the name as
 *               configured at connect and the field id it resolved to (null: it did not)
 */
public record ConnectionRecord(
        long accountId,
        String accountName,
        String subdomain,
        String baseUrl,
        long userId,
        String userName,
        boolean admin,
        Instant connectedAt,
        Map<String, MappedField> fields) {
    public static final String FILE = "connection.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One mapped field: the configured name and the id it resolved to at connect (null: none). */
    public record MappedField(String name, Long id) {}

    /**
     * The id recorded for {@code key} when it was configured with this very {@code name}; null
     * when the key was not mapped at connect, or was mapped under another name since changed.
     */
    public Long fieldId(String key, String name) {
        MappedField f = fields.get(key);
        return f != null && f.name() != null && f.name().equals(name) ? f.id() : null;
    }

    /** The record in {@code stateDir}, or null when the account was never connected there. */
    public static ConnectionRecord read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            JsonNode n = MAPPER.readTree(Files.readAllBytes(file));
            Map<String, MappedField> fields = new LinkedHashMap<>();
            n.path("fields")
                    .fields()
                    .forEachRemaining(e -> fields.put(
                            e.getKey(),
                            new MappedField(
                                    e.getValue().path("name").asText(null),
                                    e.getValue().path("id").isNumber()
                                            ? e.getValue().get("id").asLong()
                                            : null)));
            return new ConnectionRecord(
                    n.path(Columns.ACCOUNT_ID).asLong(),
                    n.path("account_name").asText(null),
                    n.path("subdomain").asText(null),
                    n.path("base_url").asText(null),
                    n.path("user_id").asLong(),
                    n.path("user_name").asText(null),
                    n.path("is_admin").asBoolean(false),
                    n.hasNonNull("connected_at")
                            ? Instant.parse(n.get("connected_at").asText())
                            : null,
                    Map.copyOf(fields));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            throw new EtlException(
                    ExitCode.AUTH,
                    file + " is unreadable (" + e.getClass().getSimpleName()
                            + "): connect again with `auth url` and `auth exchange`");
        }
    }

    /** Writes the record to {@code stateDir} atomically (mode 0600, like the token store). */
    public void write(Path stateDir) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put(Columns.ACCOUNT_ID, accountId);
        n.put("account_name", accountName);
        n.put("subdomain", subdomain);
        n.put("base_url", baseUrl);
        n.put("user_id", userId);
        n.put("user_name", userName);
        n.put("is_admin", admin);
        n.put("connected_at", connectedAt == null ? null : connectedAt.toString());
        ObjectNode f = n.putObject("fields");
        fields.forEach((key, m) -> f.putObject(key).put("name", m.name()).put("id", m.id()));
        try {
            PrivateFiles.write(
                    stateDir.resolve(FILE),
                    MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
