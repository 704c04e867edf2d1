package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.CustomFieldDef.EnumDef;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.FieldValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates {@code custom_fields_values} entries of every type (docs/amocrm-api.md §2.3).
 *
 * <p>Value shapes follow the SDK's value models ({@code Models/CustomFieldsValues/ValueModels}):
 * scalars for text-like, numeric, date and flag types; enum values with {@code enum_id} (and
 * {@code enum_code} for multitext and smart_address subtypes); JSON objects for legal_entity,
 * items, linked_entity, chained_list, file, payer and supplier. amoCRM's documentation does not show each
 * object's exact keys [UNVERIFIED]; the product must keep any object as raw JSON text anyway.
 */
final class FieldValues {
    private FieldValues() {}

    static CustomFieldValue of(CustomFieldDef def, SplittableRandom rnd, long timeBase) {
        List<FieldValue> values = new ArrayList<>();
        switch (def.type()) {
            case "text" -> values.add(scalar(textFor(def, rnd)));
            case "numeric" ->
                values.add(scalar(
                        rnd.nextBoolean()
                                ? String.valueOf(rnd.nextInt(1, 100_000))
                                : rnd.nextInt(0, 10_000) + "." + rnd.nextInt(10, 100)));
            case "checkbox" -> values.add(scalar(rnd.nextBoolean()));
            case "select", "radiobutton", "category" ->
                values.add(enumValue(def.enums().get(rnd.nextInt(def.enums().size())), false));
            case "multiselect" -> {
                int count = 1 + rnd.nextInt(def.enums().size() - 1);
                for (int k = 0; k < count; k++) {
                    values.add(enumValue(def.enums().get(k), false));
                }
            }
            case "multitext" -> {
                int count = 1 + rnd.nextInt(2);
                for (int k = 0; k < count; k++) {
                    EnumDef e = def.enums().get(rnd.nextInt(def.enums().size()));
                    String v = "EMAIL".equals(def.code())
                            ? "user" + rnd.nextInt(100_000) + (k == 0 ? "@example.ru" : "@почта.рф")
                            : "+7 9"
                                    + String.format(
                                            "%02d %03d-%02d-%02d",
                                            rnd.nextInt(100), rnd.nextInt(1000), rnd.nextInt(100), rnd.nextInt(100));
                    values.add(new FieldValue(v, e.id(), e.value()));
                }
            }
            case "date", "birthday" -> values.add(scalar(dayStart(timeBase - rnd.nextLong(0, 3650L * 86400))));
            case "date_time" -> values.add(scalar(timeBase - rnd.nextLong(0, 365L * 86400)));
            case "url" -> values.add(scalar("https://example.ru/p/" + rnd.nextInt(1000) + "?utm_source=ya&q=%22x%22"));
            case "textarea" -> values.add(scalar("Строка 1: \"цитата\"\nСтрока 2 — " + Texts.words(rnd, 3)));
            case "streetaddress" ->
                values.add(scalar("ул. Ленина, д. " + rnd.nextInt(1, 200) + ", кв. " + rnd.nextInt(1, 300)));
            case "smart_address" -> {
                String[] parts = {"ул. Тверская, 1", "офис 5", "Москва", "Москва", "125009", "RU"};
                for (int k = 0; k < parts.length; k++) {
                    values.add(new FieldValue(
                            parts[k],
                            def.enums().get(k).id(),
                            def.enums().get(k).value()));
                }
            }
            case "legal_entity" ->
                values.add(scalar(object(
                        "name",
                        "ООО «Ромашка»",
                        "entity_type",
                        1L,
                        "vat_id",
                        String.valueOf(7_700_000_000L + rnd.nextInt(1_000_000)),
                        "tax_registration_reason_code",
                        "770101001",
                        "address",
                        "Москва, ул. Тверская, 1",
                        "kpp",
                        "770101001",
                        "external_uid",
                        null)));
            case "price", "monetary" -> values.add(scalar(rnd.nextInt(100, 1_000_000) / 100.0));
            case "items" -> {
                int count = 1 + rnd.nextInt(2);
                for (int k = 0; k < count; k++) {
                    values.add(scalar(object(
                            "sku",
                            "SKU-" + rnd.nextInt(10_000),
                            "description",
                            "Товар \"" + k + "\"",
                            "unit_price",
                            (double) rnd.nextInt(100, 5000),
                            "quantity",
                            (long) rnd.nextInt(1, 10),
                            "unit_type",
                            "шт",
                            "discount",
                            object("type", "percentage", "value", 5.0),
                            "vat_rate_id",
                            0L,
                            "external_uid",
                            null)));
                }
            }
            case "tracking_data" ->
                values.add(scalar("utm_source=yandex&utm_medium=cpc&utm_campaign=" + rnd.nextInt(100)));
            case "linked_entity" ->
                values.add(scalar(object(
                        "name",
                        "Связанный контакт",
                        "entity_id",
                        (long) rnd.nextInt(1, 1_000_000),
                        "entity_type",
                        "contacts",
                        "catalog_id",
                        null)));
            case "org_legal_name" -> values.add(scalar("ООО \"Юрлицо " + rnd.nextInt(100) + "\""));
            case "chained_list" ->
                values.add(scalar(object("catalog_id", 5001L, "catalog_element_id", (long) rnd.nextInt(1, 500))));
            case "file" ->
                values.add(scalar(object(
                        "file_uuid",
                        uuid(rnd),
                        "version_uuid",
                        uuid(rnd),
                        "file_name",
                        "договор №" + rnd.nextInt(100) + ".pdf",
                        "file_size",
                        (long) rnd.nextInt(1000, 5_000_000),
                        "is_deleted",
                        false)));
            case "payer", "supplier" ->
                values.add(scalar(object(
                        "name",
                        Texts.companyName(rnd),
                        "entity_id",
                        (long) rnd.nextInt(1, 1_000_000),
                        "entity_type",
                        "companies")));
            default -> throw new IllegalStateException("no generator for field type " + def.type());
        }
        return new CustomFieldValue(def.id(), def.name(), def.code(), def.type(), List.copyOf(values));
    }

    private static String textFor(CustomFieldDef def, SplittableRandom rnd) {
        if (ReferenceData.GA_FIELD.equals(def.name())) {
            return "GA1.2." + rnd.nextInt(1, Integer.MAX_VALUE) + "." + rnd.nextInt(1_500_000_000, Integer.MAX_VALUE);
        }
        if (ReferenceData.REQUEST_ID_FIELD.equals(def.name())) {
            return "REQ-" + rnd.nextInt(1, 10_000_000);
        }
        return Texts.words(rnd, 1 + rnd.nextInt(3));
    }

    private static FieldValue scalar(Object v) {
        return new FieldValue(v, null, null);
    }

    private static FieldValue enumValue(EnumDef e, boolean withCode) {
        return new FieldValue(e.value(), e.id(), withCode ? e.value() : null);
    }

    private static long dayStart(long ts) {
        return Math.floorDiv(ts, 86400L) * 86400L;
    }

    private static String uuid(SplittableRandom rnd) {
        return new java.util.UUID(rnd.nextLong(), rnd.nextLong()).toString();
    }

    /** An ordered JSON object; values may be null. */
    static Map<String, Object> object(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            m.put((String) kv[k], kv[k + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
