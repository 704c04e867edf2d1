package io.amocrmetl.doctor;

import io.amocrmetl.api.AmoClient;
import io.amocrmetl.api.FieldNames;
import io.amocrmetl.auth.ConnectionRecord;
import io.amocrmetl.config.AmoSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GA and request-id mappings (docs/lakehouse.md): resolved to ids at connect, so a
 * field renamed since still maps by its id, and this check warns so the config can follow; a
 * name that matches no field leaves its column empty and gets the close matches.
 */
final class FieldCheck {
    private FieldCheck() {}

    static List<Check> check(AmoClient client, AmoSettings amo, ConnectionRecord connection) {
        Map<String, String> names = new LinkedHashMap<>();
        if (amo.gaClientIdField() != null) {
            names.put(FieldNames.KEYS.get(0), amo.gaClientIdField());
        }
        if (amo.requestIdField() != null) {
            names.put(FieldNames.KEYS.get(1), amo.requestIdField());
        }
        List<Check> out = new ArrayList<>();
        if (names.isEmpty()) {
            out.add(Check.ok("fields", "no GA client id or request id field is mapped (amocrm.custom-fields.*)"));
            return out;
        }
        List<FieldNames.LeadField> fields = FieldNames.fetch(client);
        names.forEach((key, name) -> out.add(judge(
                FieldNames.choose(key, name, connection == null ? null : connection.fieldId(key, name), fields))));
        return out;
    }

    static Check judge(FieldNames.Choice c) {
        if (!c.resolved()) {
            return Check.warning(
                    "fields",
                    c.key() + " = \"" + c.name() + "\" matches no lead field, so its column stays " + "empty; "
                            + c.closeMatchesText(),
                    "set " + c.key() + " to the field's exact name");
        }
        if (c.renamedFrom() != null) {
            return Check.warning(
                    "fields",
                    c.key() + ": field " + c.id() + " was \"" + c.renamedFrom() + "\" when the account "
                            + "connected and is now named \"" + c.current() + "\"; ingest keeps reading field "
                            + c.id(),
                    "set " + c.key() + " = \"" + c.current() + "\"");
        }
        return Check.ok("fields", c.key() + " = \"" + c.name() + "\" -> field " + c.id());
    }
}
