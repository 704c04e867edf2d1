package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.CustomFieldDef.EnumDef;
import io.amocrmetl.sandbox.model.LossReason;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The small, fully materialized part of an account: users, pipelines and statuses, loss reasons,
 * tags and custom-field definitions. Mutable lists: mutations may add to them.
 */
final class ReferenceData {
    static final long WON = 142;
    static final long LOST = 143;

    /** Every custom-field type the SDK knows (docs/amocrm-api.md §2.3). */
    static final List<String> FIELD_TYPES = List.of(
            "text",
            "numeric",
            "checkbox",
            "select",
            "multiselect",
            "multitext",
            "date",
            "url",
            "textarea",
            "radiobutton",
            "streetaddress",
            "smart_address",
            "birthday",
            "legal_entity",
            "date_time",
            "items",
            "category",
            "price",
            "tracking_data",
            "linked_entity",
            "org_legal_name",
            "monetary",
            "chained_list",
            "file",
            "payer",
            "supplier");

    static final List<String> ENUM_TYPES =
            List.of("select", "multiselect", "radiobutton", "category", "multitext", "smart_address");
    /** Lead fields the connection maps to columns (docs/connecting.md); names are what users type. */
    static final String GA_FIELD = "GA Client ID";

    static final String REQUEST_ID_FIELD = "ID заявки";
    /** Lead field count above the custom-fields page size (50), so that list needs two pages. */
    static final int LEAD_FILLER_FIELDS = 30;

    final List<User> users = new ArrayList<>();
    final List<Pipeline> pipelines = new ArrayList<>();
    final List<LossReason> lossReasons = new ArrayList<>();
    /** How many tags of each type the generator made: base records pick among these only. */
    final Map<String, Integer> generatedTags = new java.util.HashMap<>();

    final Map<String, List<Tag>> tags = Map.of(
            "leads",
            new ArrayList<>(),
            "contacts",
            new ArrayList<>(),
            "companies",
            new ArrayList<>(),
            "customers",
            new ArrayList<>());
    /** Custom fields by entity type; list fields under {@code catalogs/<id>}. */
    final Map<String, List<CustomFieldDef>> fields = new java.util.LinkedHashMap<>();
    /**
     * The fields as generated: base records are derived from these, so a field renamed later by a
     * mutation never re-rolls their values (as {@link #generatedTags} does for tags).
     */
    final Map<String, List<CustomFieldDef>> generatedFields = new java.util.LinkedHashMap<>();
    /** At most 10 lists, one of each of products and invoices (docs/amocrm-api.md §2.4). */
    final List<io.amocrmetl.sandbox.model.Catalog> catalogs = new ArrayList<>();

    static final long PRODUCTS = 5001;
    static final long REGULAR = 5002;
    static final long INVOICES = 5003;
    /** Customer statuses (the "segments" funnel); ids of the account's own. */
    static final long[] CUSTOMER_STATUSES = {9_500_001, 9_500_002, 9_500_003};

    private long nextEnumId = 2_000_001;

    ReferenceData(long seed, int leadCount, long accountCreatedAt) {
        SplittableRandom rnd = Hash.random(seed, 900, 0);
        int userCount = Math.max(4, Math.min(60, leadCount / 100));
        for (int u = 0; u < userCount; u++) {
            String name = u == 0 ? "Администратор" : Texts.pick(rnd, Texts.FIRST) + " " + Texts.pick(rnd, Texts.LAST);
            boolean admin = u == 0 || u == 2;
            boolean active = u != userCount - 1;
            users.add(new User(
                    9_000_001L + u,
                    name,
                    "user" + u + "@sandbox.example",
                    u % 3 == 0 ? "ru" : "en",
                    admin,
                    u == 3,
                    active,
                    (long) (u % 3),
                    u == 0 ? null : 100L + u % 2));
        }

        String[][] pipelineNames = {
            {"Основная воронка", "main"}, {"Повторные продажи", ""}, {"Архив \"2023\"", "archive"}
        };
        String[] stages = {"Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора"};
        long statusId = 7_100_001;
        for (int p = 0; p < pipelineNames.length; p++) {
            long pid = 7_000_001L + p;
            List<Status> statuses = new ArrayList<>();
            statuses.add(new Status(statusId++, pid, "Неразобранное", 10, false, "#c1c1c1", 1));
            for (int s = 0; s < stages.length; s++) {
                statuses.add(new Status(
                        statusId++,
                        pid,
                        stages[s],
                        20 + 10 * s,
                        true,
                        String.format("#%06x", rnd.nextInt(0x1000000)),
                        0));
            }
            statuses.add(new Status(WON, pid, "Успешно реализовано", 10000, false, "#CCFF66", 0));
            statuses.add(new Status(LOST, pid, "Закрыто и не реализовано", 11000, false, "#D5D8DB", 0));
            pipelines.add(new Pipeline(
                    pid, pipelineNames[p][0], p + 1, p == 0, p == 0, "archive".equals(pipelineNames[p][1]), statuses));
        }

        String[] reasons = {"Дорого", "Выбрали конкурента", "Нет бюджета", "Не выходит на связь"};
        for (int r = 0; r < reasons.length; r++) {
            lossReasons.add(new LossReason(
                    8_000_001L + r, reasons[r], r + 1, accountCreatedAt + r * 3600L, accountCreatedAt + r * 7200L));
        }

        String[] tagNames = {
            "VIP",
            "горячий",
            "повторная продажа",
            "из \"сайта\"",
            "#промо",
            "партнёр",
            "холодный",
            "tender",
            "🔥 срочно",
            "опт",
            "розница",
            "b2b"
        };
        long[] tagBase = {3_000_001, 3_100_001, 3_200_001, 3_300_001};
        int[] tagCounts = {12, 8, 5, 4};
        String[] entityTypes = {"leads", "contacts", "companies", "customers"};
        for (String type : List.of("leads", "contacts", "companies", "customers")) {
            fields.put(type, new ArrayList<>());
        }
        for (int t = 0; t < entityTypes.length; t++) {
            for (int k = 0; k < tagCounts[t]; k++) {
                // Only lead tags carry a colour (docs/amocrm-api.md §2.4); some lead tags still have none.
                String color = t == 0 && k % 3 != 2 ? String.format("#%06X", rnd.nextInt(0x1000000)) : null;
                tags.get(entityTypes[t]).add(new Tag(entityTypes[t], tagBase[t] + k, tagNames[k], color));
            }
        }
        for (String type : entityTypes) {
            generatedTags.put(type, tags.get(type).size());
        }

        List<CustomFieldDef> leadFields = fields.get("leads");
        long fieldId = 1_000_001;
        for (String type : FIELD_TYPES) {
            leadFields.add(field("leads", fieldId++, "Поле " + type, null, leadFields.size(), type));
        }
        leadFields.add(field("leads", fieldId++, GA_FIELD, null, leadFields.size(), "text"));
        leadFields.add(field("leads", fieldId++, REQUEST_ID_FIELD, null, leadFields.size(), "text"));
        for (int k = 1; k <= LEAD_FILLER_FIELDS; k++) {
            leadFields.add(field("leads", fieldId++, "Доп. поле " + k, null, leadFields.size(), "text"));
        }

        List<CustomFieldDef> contactFields = fields.get("contacts");
        fieldId = 1_100_001;
        contactFields.add(field("contacts", fieldId++, "Телефон", "PHONE", 0, "multitext"));
        contactFields.add(field("contacts", fieldId++, "Email", "EMAIL", 1, "multitext"));
        contactFields.add(field("contacts", fieldId++, "Должность", "POSITION", 2, "text"));
        contactFields.add(field("contacts", fieldId++, "Источник", null, 3, "select"));
        contactFields.add(field("contacts", fieldId++, "День рождения", null, 4, "birthday"));
        contactFields.add(field("contacts", fieldId++, "Согласие на рассылку", null, 5, "checkbox"));

        List<CustomFieldDef> companyFields = fields.get("companies");
        fieldId = 1_200_001;
        companyFields.add(field("companies", fieldId++, "Телефон", "PHONE", 0, "multitext"));
        companyFields.add(field("companies", fieldId++, "Email", "EMAIL", 1, "multitext"));
        companyFields.add(field("companies", fieldId++, "Web", "WEB", 2, "url"));
        companyFields.add(field("companies", fieldId++, "Адрес", "ADDRESS", 3, "textarea"));
        companyFields.add(field("companies", fieldId++, "Реквизиты", null, 4, "legal_entity"));
        companyFields.add(field("companies", fieldId++, "ИНН", null, 5, "text"));

        List<CustomFieldDef> customerFields = fields.get("customers");
        fieldId = 1_300_001;
        customerFields.add(field("customers", fieldId++, "Карта лояльности", null, 0, "text"));
        customerFields.add(field("customers", fieldId++, "Сегмент", null, 1, "select"));
        customerFields.add(field("customers", fieldId++, "Дата первой покупки", null, 2, "date"));

        long t0 = accountCreatedAt;
        catalogs.add(new io.amocrmetl.sandbox.model.Catalog(
                PRODUCTS,
                "Товары",
                "products",
                10,
                true,
                true,
                true,
                false,
                users.get(0).id(),
                users.get(0).id(),
                t0,
                t0));
        catalogs.add(new io.amocrmetl.sandbox.model.Catalog(
                REGULAR,
                "Список \"Партнёры\"",
                "regular",
                20,
                true,
                false,
                true,
                true,
                users.get(0).id(),
                users.get(0).id(),
                t0,
                t0));
        catalogs.add(new io.amocrmetl.sandbox.model.Catalog(
                INVOICES,
                "Счета",
                "invoices",
                30,
                true,
                true,
                false,
                false,
                users.get(0).id(),
                users.get(0).id(),
                t0,
                t0));
        fieldId = 1_400_001;
        List<CustomFieldDef> products = new ArrayList<>();
        products.add(field("catalogs", fieldId++, "Артикул", "SKU", 0, "text"));
        products.add(field("catalogs", fieldId++, "Цена", "PRICE", 1, "price"));
        products.add(field("catalogs", fieldId++, "Описание", "DESCRIPTION", 2, "textarea"));
        fields.put("catalogs/" + PRODUCTS, products);
        List<CustomFieldDef> regular = new ArrayList<>();
        regular.add(field("catalogs", fieldId++, "Сайт", null, 0, "url"));
        fields.put("catalogs/" + REGULAR, regular);
        List<CustomFieldDef> invoices = new ArrayList<>();
        invoices.add(field("catalogs", fieldId++, "Сумма", "PRICE", 0, "price"));
        invoices.add(field("catalogs", fieldId++, "Статус счёта", "BILL_STATUS", 1, "select"));
        invoices.add(field("catalogs", fieldId++, "Позиции", "ITEMS", 2, "items"));
        fields.put("catalogs/" + INVOICES, invoices);
        fields.forEach((type, defs) -> generatedFields.put(type, List.copyOf(defs)));
    }

    private CustomFieldDef field(String entity, long id, String name, String code, int index, String type) {
        List<EnumDef> enums = new ArrayList<>();
        List<String> labels = switch (type) {
            case "multitext" ->
                "EMAIL".equals(code)
                        ? List.of("WORK", "PRIV", "OTHER")
                        : List.of("WORK", "WORKDD", "MOB", "FAX", "HOME", "OTHER");
            case "smart_address" -> List.of("address_line_1", "address_line_2", "city", "state", "zip", "country");
            case "select", "multiselect", "radiobutton", "category" ->
                List.of("Вариант А", "Вариант Б", "Option \"C\"", "Другое");
            default -> List.of();
        };
        for (int k = 0; k < labels.size(); k++) {
            enums.add(new EnumDef(nextEnumId++, labels.get(k), (k + 1) * 10));
        }
        return new CustomFieldDef(entity, id, name, code, (index + 1) * 10, type, false, List.copyOf(enums));
    }

    User user(SplittableRandom rnd) {
        return users.get(rnd.nextInt(users.size()));
    }

    Pipeline pipeline(long id) {
        for (Pipeline p : pipelines) {
            if (p.id() == id) {
                return p;
            }
        }
        return null;
    }

    CustomFieldDef leadField(String name) {
        for (CustomFieldDef f : fields.get("leads")) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalStateException("no lead field " + name);
    }
}
