package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountGenerator.COMPANY_NOTES;
import static io.amocrmetl.sandbox.data.AccountGenerator.CONTACT_NOTES;
import static io.amocrmetl.sandbox.data.AccountGenerator.CUSTOMER_NOTES;
import static io.amocrmetl.sandbox.data.AccountGenerator.DAY;
import static io.amocrmetl.sandbox.data.AccountGenerator.LEAD_NOTES;
import static io.amocrmetl.sandbox.data.AccountGenerator.TASKS;

import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.User;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Base tasks (on a lead, contact or company in proportion, or on nothing) and notes of every
 * type on each parent kind.
 */
final class TaskAndNoteRecords {
    static final List<String> NOTE_TYPES = List.of(
            "common", "call_in", "call_out", "service_message", "sms_in", "sms_out", "geolocation", "attachment");

    private final AccountGenerator gen;
    private final long seed;
    private final AccountShape shape;
    private final ReferenceData ref;

    TaskAndNoteRecords(AccountGenerator gen) {
        this.gen = gen;
        this.seed = gen.seed;
        this.shape = gen.shape;
        this.ref = gen.ref;
    }

    Task task(int t) {
        SplittableRandom r = Hash.random(seed, TASKS, t);
        long created = gen.tasks.createdAt(t);
        long updated = gen.tasks.updatedAt(t);
        int target = r.nextInt(10);
        Long entityId;
        String entityType;
        if (target < 6) {
            entityType = "leads";
            entityId = gen.leads.id((int) ((long) t * shape.leads() / shape.tasks()));
        } else if (target < 8) {
            entityType = "contacts";
            entityId = gen.contacts.id((int) ((long) t * shape.contacts() / shape.tasks()));
        } else if (target < 9) {
            entityType = "companies";
            entityId = gen.companies.id((int) ((long) t * shape.companies() / shape.tasks()));
        } else {
            entityType = null;
            entityId = null;
        }
        boolean completed = r.nextInt(10) < 6;
        User responsible = ref.user(r);
        return new Task(
                gen.tasks.id(t),
                ref.user(r).id(),
                responsible.id(),
                created,
                updated,
                responsible.id(),
                responsible.groupId(),
                entityId,
                entityType,
                completed,
                1 + r.nextInt(3),
                Texts.words(r, 2 + r.nextInt(4)),
                r.nextInt(3) * 1800L,
                created + r.nextLong(3600, 14 * DAY),
                completed ? (r.nextBoolean() ? "Готово: " + Texts.words(r, 2) : "") : null);
    }

    Note note(String entityType, int n) {
        KindLayout layout = gen.notes.get(entityType);
        int stream = switch (entityType) {
            case "leads" -> LEAD_NOTES;
            case "contacts" -> CONTACT_NOTES;
            case "customers" -> CUSTOMER_NOTES;
            default -> COMPANY_NOTES;
        };
        SplittableRandom r = Hash.random(seed, stream, n);
        KindLayout parent = switch (entityType) {
            case "leads" -> gen.leads;
            case "contacts" -> gen.contacts;
            case "customers" -> gen.customers;
            default -> gen.companies;
        };
        long parentId = parent.id((int) ((long) n * parent.n / layout.n));
        // Half the notes are plain text; the first few cover every type.
        String type = n < NOTE_TYPES.size()
                ? NOTE_TYPES.get(n)
                : r.nextBoolean() ? "common" : NOTE_TYPES.get(r.nextInt(NOTE_TYPES.size()));
        Map<String, Object> params = switch (type) {
            case "common" -> FieldValues.object("text", Texts.words(r, 3 + r.nextInt(6)));
            case "call_in", "call_out" ->
                FieldValues.object(
                        "uniq",
                        new UUID(r.nextLong(), r.nextLong()).toString(),
                        "duration",
                        (long) r.nextInt(0, 3600),
                        "source",
                        "sipuni",
                        "link",
                        "https://example.ru/rec/" + r.nextInt(100_000) + ".mp3",
                        "phone",
                        "+7 900 " + r.nextInt(100, 1000) + "-00-00");
            case "service_message" -> FieldValues.object("service", "Робот", "text", Texts.words(r, 4));
            case "sms_in", "sms_out" -> FieldValues.object("text", Texts.words(r, 5), "phone", "+79001234567");
            case "geolocation" ->
                FieldValues.object(
                        "text",
                        "Встреча",
                        "address",
                        "Москва, Красная пл., 1",
                        "longitude",
                        "37.6208",
                        "latitude",
                        "55.7539");
            default ->
                FieldValues.object(
                        "original_name", "файл \"" + n + "\".pdf", "attachment", "f" + r.nextInt(1_000_000) + ".pdf");
        };
        User responsible = ref.user(r);
        return new Note(
                layout.id(n),
                entityType,
                parentId,
                responsible.id(),
                responsible.id(),
                layout.createdAt(n),
                layout.updatedAt(n),
                responsible.id(),
                responsible.groupId(),
                type,
                params,
                r.nextInt(10) == 0);
    }
}
