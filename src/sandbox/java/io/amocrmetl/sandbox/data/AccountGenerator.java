package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import io.amocrmetl.sandbox.model.Company;
import io.amocrmetl.sandbox.model.Customer;
import io.amocrmetl.sandbox.model.CustomerTransaction;
import io.amocrmetl.sandbox.model.Unsorted;
import io.amocrmetl.sandbox.model.Contact;
import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.CustomFieldDef;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Tag;
import io.amocrmetl.sandbox.model.TagRef;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.User;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Derives every base record of an account from (seed, kind, index): pure functions, no state
 * besides the layouts and the reference data. The rest are random but realistic; the first
 * records of each kind are fixed edge cases, so every seed carries them:
 * <ul>
 *   <li>lead 0, contact 0 and company 0 hold a value for every custom field of their type (so
 *       lead 0 has every type of docs/amocrm-api.md §2.3), tags, contacts and a company;</li>
 *   <li>lead 1, contact 1 and company 1 have {@code custom_fields_values: null};</li>
 *   <li>lead 2 has empty {@code _embedded} lists, price 0 and null optional fields;</li>
 *   <li>leads 3..7, contacts 2..4 and company 1 carry hostile names (quotes, emoji, newlines);</li>
 *   <li>the last two records of every kind have ids above 2^32 ({@link KindLayout#TAIL}).</li>
 * </ul>
 */
final class AccountGenerator {
    static final int LEADS = 1;
    static final int CONTACTS = 2;
    static final int COMPANIES = 3;
    static final int TASKS = 4;
    static final int LEAD_NOTES = 5;
    static final int CONTACT_NOTES = 6;
    static final int COMPANY_NOTES = 7;
    static final int UNSORTED = 8;
    static final int CUSTOMERS = 9;
    static final int TRANSACTIONS = 10;
    static final int CUSTOMER_NOTES = 11;
    static final int ELEMENTS = 12;
    private static final long DAY = 86_400;


    final long seed;
    final AccountShape shape;
    final ReferenceData ref;
    final KindLayout leads;
    final KindLayout contacts;
    final KindLayout companies;
    final KindLayout tasks;
    final Map<String, KindLayout> notes;
    final KindLayout unsorted;
    final KindLayout customers;
    final KindLayout transactions;
    /** List elements per catalog: products 60%, the regular list 30%, invoices 10%. */
    final Map<Long, KindLayout> elements;

    AccountGenerator(long seed, AccountShape shape, long now, int historyDays) {
        this.seed = seed;
        this.shape = shape;
        long end = now - 600;
        long span = historyDays * DAY;
        this.ref = new ReferenceData(seed, shape.leads(), end - span - 30 * DAY);
        this.leads = new KindLayout(seed, LEADS, shape.leads(), 30_000_001, 5, end - span - 3 * DAY, span, 3 * DAY);
        this.contacts = new KindLayout(seed, CONTACTS, shape.contacts(), 40_000_001, 5, end - span - DAY, span, DAY);
        this.companies = new KindLayout(seed, COMPANIES, shape.companies(), 45_000_001, 7, end - span - 2 * DAY, span, 2 * DAY);
        this.tasks = new KindLayout(seed, TASKS, shape.tasks(), 20_000_001, 3, end - span - 2 * DAY, span, 2 * DAY);
        this.notes = Map.of(
                "leads", new KindLayout(seed, LEAD_NOTES, shape.leadNotes(), 50_000_001, 3, end - span, span, 0),
                "contacts", new KindLayout(seed, CONTACT_NOTES, shape.contactNotes(), 60_000_001, 3, end - span, span, 0),
                "companies", new KindLayout(seed, COMPANY_NOTES, shape.companyNotes(), 70_000_001, 3, end - span, span, 0),
                "customers", new KindLayout(seed, CUSTOMER_NOTES, shape.customerNotes(), 75_000_001, 3, end - span, span, 0));
        // Unsorted has no updated_at of its own: its cursor is created_at (docs/lakehouse.md), so no lag.
        this.unsorted = new KindLayout(seed, UNSORTED, shape.unsorted(), 1, 1, end - span, span, 0);
        this.customers = new KindLayout(seed, CUSTOMERS, shape.customers(), 80_000_001, 3, end - span - DAY, span, DAY);
        this.transactions = new KindLayout(seed, TRANSACTIONS, shape.transactions(), 85_000_001, 2, end - span, span, 0);
        int products = shape.catalogElements() * 6 / 10;
        int regular = shape.catalogElements() * 3 / 10;
        this.elements = new java.util.LinkedHashMap<>();
        elements.put(ReferenceData.PRODUCTS, new KindLayout(seed, ELEMENTS, products, 90_000_001, 2, end - span, span, DAY));
        elements.put(ReferenceData.REGULAR, new KindLayout(seed, ELEMENTS + 1, regular, 91_000_001, 2, end - span, span, DAY));
        elements.put(ReferenceData.INVOICES, new KindLayout(seed, ELEMENTS + 2,
                Math.max(3, shape.catalogElements() - products - regular), 92_000_001, 2, end - span, span, DAY));
    }

    // ---- links (by base index) ------------------------------------------------------------

    /** Contact indexes of lead i, main first: about 90% have one, 30% of those a second. */
    int[] leadContacts(int i) {
        if (i == 2 || Hash.below(seed, 101, i, 10) == 0) {
            return new int[0];
        }
        int main = (int) ((long) i * shape.contacts() / shape.leads());
        if (i == 0 || (Hash.below(seed, 102, i, 10) < 3 && main + 1 < shape.contacts())) {
            return new int[] {main, main + 1};
        }
        return new int[] {main};
    }

    /** Company index of lead i, or -1 (about 60% have one). */
    int leadCompany(int i) {
        if (i == 2 || (i != 0 && Hash.below(seed, 103, i, 10) >= 6)) {
            return -1;
        }
        return (int) ((long) i * shape.companies() / shape.leads());
    }

    /** Company index of contact j, or -1 (about 70% have one). */
    int contactCompany(int j) {
        if (j != 0 && Hash.below(seed, 104, j, 10) >= 7) {
            return -1;
        }
        return (int) ((long) j * shape.companies() / shape.contacts());
    }

    // ---- leads ------------------------------------------------------------------------------

    /** The pipeline and the statuses lead i went through, its current status last. */
    record StatusChain(long pipelineId, long[] statuses) {
        long current() {
            return statuses[statuses.length - 1];
        }
    }

    StatusChain statusChain(int i) {
        SplittableRandom r = Hash.random(seed, 11, i);
        int roll = r.nextInt(10);
        Pipeline p = ref.pipelines.get(roll < 7 ? 0 : roll < 9 ? 1 : 2);
        List<Long> stages = new ArrayList<>();
        for (Status s : p.statuses()) {
            if (s.type() == 0 && s.id() != ReferenceData.WON && s.id() != ReferenceData.LOST) {
                stages.add(s.id());
            }
        }
        int changes = r.nextInt(4);
        List<Long> chain = new ArrayList<>();
        int at = 0;
        chain.add(stages.get(0));
        for (int k = 1; k <= changes; k++) {
            if ((k == changes && r.nextInt(10) < 4) || at == stages.size() - 1) {
                chain.add(r.nextBoolean() ? ReferenceData.WON : ReferenceData.LOST);
                break;
            }
            chain.add(stages.get(++at));
        }
        return new StatusChain(p.id(), chain.stream().mapToLong(Long::longValue).toArray());
    }

    Lead lead(int i) {
        SplittableRandom r = Hash.random(seed, LEADS, i);
        long id = leads.id(i);
        long created = leads.createdAt(i);
        long updated = leads.updatedAt(i);
        StatusChain chain = statusChain(i);
        long status = chain.current();
        boolean closed = status == ReferenceData.WON || status == ReferenceData.LOST;
        User responsible = ref.user(r);
        User creator = ref.user(r);
        String name = i >= 3 && i < 3 + Texts.HOSTILE_NAMES.length ? Texts.HOSTILE_NAMES[i - 3]
                : Texts.pick(r, Texts.LEAD_WORDS) + " #" + (i + 1);
        long price = i == 2 ? 0 : r.nextInt(0, 50) * 1000L + r.nextInt(0, 1000);
        BigDecimal minor = i != 2 && r.nextBoolean() ? BigDecimal.valueOf(price * 100 + r.nextInt(0, 100), 2) : null;
        Long lossReason = status == ReferenceData.LOST && r.nextInt(10) < 7
                ? ref.lossReasons.get(r.nextInt(ref.lossReasons.size())).id() : null;
        Long closestTask = i == 2 || r.nextInt(10) < 4 ? null : updated + r.nextLong(DAY, 14 * DAY);
        Integer score = i == 2 || r.nextInt(10) < 7 ? null : r.nextInt(0, 101);
        Long laborCost = i == 2 || r.nextBoolean() ? null : (long) r.nextInt(0, 36_000);
        Long sourceId = i == 2 || r.nextInt(10) < 7 ? null : (long) r.nextInt(1, 6);
        List<CustomFieldValue> cf = i == 1 || i == 2 ? null
                : customFields("leads", Hash.random(seed, 12, i), updated, i == 0 ? 1.0 : 0.25);
        List<TagRef> tags = tags("leads", Hash.random(seed, 13, i), i == 0 ? 2 : i == 2 ? 0 : -1);
        List<ContactLink> links = new ArrayList<>();
        int[] cs = leadContacts(i);
        for (int k = 0; k < cs.length; k++) {
            links.add(new ContactLink(contacts.id(cs[k]), k == 0));
        }
        int company = leadCompany(i);
        return new Lead(id, name, price, minor, responsible.id(), responsible.groupId(), status,
                chain.pipelineId(), lossReason, sourceId, creator.id(), responsible.id(), created, updated,
                closed ? updated : null, closestTask, score, laborCost, cf, tags, List.copyOf(links),
                company < 0 ? null : companies.id(company), false);
    }

    /** lead_added, then one lead_status_changed per step of the chain, the last at updated_at. */
    List<Event> leadEvents(int i) {
        long created = leads.createdAt(i);
        long updated = leads.updatedAt(i);
        StatusChain chain = statusChain(i);
        SplittableRandom r = Hash.random(seed, 14, i);
        long id = leads.id(i);
        long user = ref.user(r).id();
        List<Event> out = new ArrayList<>();
        out.add(event(r, "lead_added", id, "lead", user, created, List.of(), List.of()));
        int changes = chain.statuses().length - 1;
        for (int k = 1; k <= changes; k++) {
            long at = created + Math.floorDiv((updated - created) * k + changes - 1, changes);
            out.add(event(r, "lead_status_changed", id, "lead", ref.user(r).id(), at,
                    List.of(leadStatus(chain.statuses()[k], chain.pipelineId())),
                    List.of(leadStatus(chain.statuses()[k - 1], chain.pipelineId()))));
        }
        return out;
    }

    static Map<String, Object> leadStatus(long statusId, long pipelineId) {
        return FieldValues.object("lead_status", FieldValues.object("id", statusId, "pipeline_id", pipelineId));
    }

    Event event(SplittableRandom r, String type, long entityId, String entityType, long user, long at,
                List<Map<String, Object>> after, List<Map<String, Object>> before) {
        String id = Ulid.of(at * 1000 + r.nextInt(1000), r.nextLong(), r.nextLong());
        return new Event(id, type, entityId, entityType, user, at, after, before);
    }

    // ---- contacts and companies ------------------------------------------------------------

    Contact contact(int j) {
        SplittableRandom r = Hash.random(seed, CONTACTS, j);
        String first = Texts.pick(r, Texts.FIRST);
        String last = Texts.pick(r, Texts.LAST);
        String name = j >= 2 && j < 5 ? Texts.HOSTILE_NAMES[j - 2] : first + " " + last;
        User responsible = ref.user(r);
        long updated = contacts.updatedAt(j);
        List<CustomFieldValue> cf = j == 1 ? null
                : customFields("contacts", Hash.random(seed, 22, j), updated, j == 0 ? 1.0 : 0.6);
        int company = contactCompany(j);
        return new Contact(contacts.id(j), name, j == 1 ? null : first, j == 1 ? null : last,
                responsible.id(), responsible.groupId(), ref.user(r).id(), responsible.id(),
                contacts.createdAt(j), updated, r.nextInt(10) < 5 ? null : updated + r.nextLong(DAY, 10 * DAY),
                cf, tags("contacts", Hash.random(seed, 23, j), j == 0 ? 2 : -1),
                company < 0 ? null : companies.id(company));
    }

    Company company(int k) {
        SplittableRandom r = Hash.random(seed, COMPANIES, k);
        User responsible = ref.user(r);
        long updated = companies.updatedAt(k);
        String name = k == 1 ? Texts.HOSTILE_NAMES[0] : Texts.companyName(r);
        List<CustomFieldValue> cf = k == 1 ? null
                : customFields("companies", Hash.random(seed, 32, k), updated, k == 0 ? 1.0 : 0.6);
        return new Company(companies.id(k), name, responsible.id(), responsible.groupId(),
                ref.user(r).id(), responsible.id(), companies.createdAt(k), updated,
                r.nextInt(10) < 6 ? null : updated + r.nextLong(DAY, 10 * DAY), cf,
                tags("companies", Hash.random(seed, 33, k), k == 0 ? 1 : -1));
    }

    List<Event> contactEvents(int j) {
        SplittableRandom r = Hash.random(seed, 24, j);
        return List.of(event(r, "contact_added", contacts.id(j), "contact", ref.user(r).id(),
                contacts.createdAt(j), List.of(), List.of()));
    }

    List<Event> companyEvents(int k) {
        SplittableRandom r = Hash.random(seed, 34, k);
        return List.of(event(r, "company_added", companies.id(k), "company", ref.user(r).id(),
                companies.createdAt(k), List.of(), List.of()));
    }

    // ---- tasks and notes -------------------------------------------------------------------

    Task task(int t) {
        SplittableRandom r = Hash.random(seed, TASKS, t);
        long created = tasks.createdAt(t);
        long updated = tasks.updatedAt(t);
        int target = r.nextInt(10);
        Long entityId;
        String entityType;
        if (target < 6) {
            entityType = "leads";
            entityId = leads.id((int) ((long) t * shape.leads() / shape.tasks()));
        } else if (target < 8) {
            entityType = "contacts";
            entityId = contacts.id((int) ((long) t * shape.contacts() / shape.tasks()));
        } else if (target < 9) {
            entityType = "companies";
            entityId = companies.id((int) ((long) t * shape.companies() / shape.tasks()));
        } else {
            entityType = null;
            entityId = null;
        }
        boolean completed = r.nextInt(10) < 6;
        User responsible = ref.user(r);
        return new Task(tasks.id(t), ref.user(r).id(), responsible.id(), created, updated, responsible.id(),
                responsible.groupId(), entityId, entityType, completed, 1 + r.nextInt(3),
                Texts.words(r, 2 + r.nextInt(4)), r.nextInt(3) * 1800L, created + r.nextLong(3600, 14 * DAY),
                completed ? (r.nextBoolean() ? "Готово: " + Texts.words(r, 2) : "") : null);
    }

    List<Event> taskEvents(int t) {
        SplittableRandom r = Hash.random(seed, 44, t);
        Task task = task(t);
        List<Event> out = new ArrayList<>();
        out.add(event(r, "task_added", task.id(), "task", task.createdBy(), task.createdAt(), List.of(), List.of()));
        if (task.isCompleted()) {
            out.add(event(r, "task_completed", task.id(), "task", task.updatedBy(), task.updatedAt(), List.of(), List.of()));
        }
        return out;
    }

    static final List<String> NOTE_TYPES = List.of("common", "call_in", "call_out", "service_message",
            "sms_in", "sms_out", "geolocation", "attachment");

    Note note(String entityType, int n) {
        KindLayout layout = notes.get(entityType);
        int stream = switch (entityType) {
            case "leads" -> LEAD_NOTES;
            case "contacts" -> CONTACT_NOTES;
            case "customers" -> CUSTOMER_NOTES;
            default -> COMPANY_NOTES;
        };
        SplittableRandom r = Hash.random(seed, stream, n);
        KindLayout parent = switch (entityType) {
            case "leads" -> leads;
            case "contacts" -> contacts;
            case "customers" -> customers;
            default -> companies;
        };
        long parentId = parent.id((int) ((long) n * parent.n / layout.n));
        // Half the notes are plain text; the first few cover every type.
        String type = n < NOTE_TYPES.size() ? NOTE_TYPES.get(n)
                : r.nextBoolean() ? "common" : NOTE_TYPES.get(r.nextInt(NOTE_TYPES.size()));
        Map<String, Object> params = switch (type) {
            case "common" -> FieldValues.object("text", Texts.words(r, 3 + r.nextInt(6)));
            case "call_in", "call_out" -> FieldValues.object("uniq", new java.util.UUID(r.nextLong(), r.nextLong()).toString(),
                    "duration", (long) r.nextInt(0, 3600), "source", "sipuni", "link", "https://example.ru/rec/" + r.nextInt(100_000) + ".mp3",
                    "phone", "+7 900 " + r.nextInt(100, 1000) + "-00-00");
            case "service_message" -> FieldValues.object("service", "Робот", "text", Texts.words(r, 4));
            case "sms_in", "sms_out" -> FieldValues.object("text", Texts.words(r, 5), "phone", "+79001234567");
            case "geolocation" -> FieldValues.object("text", "Встреча", "address", "Москва, Красная пл., 1",
                    "longitude", "37.6208", "latitude", "55.7539");
            default -> FieldValues.object("original_name", "файл \"" + n + "\".pdf", "attachment", "f" + r.nextInt(1_000_000) + ".pdf");
        };
        User responsible = ref.user(r);
        return new Note(layout.id(n), entityType, parentId, responsible.id(), responsible.id(),
                layout.createdAt(n), layout.updatedAt(n), responsible.id(), responsible.groupId(),
                type, params, r.nextInt(10) == 0);
    }

    // ---- unsorted, customers, lists ----------------------------------------------------------

    static final List<String> UNSORTED_CATEGORIES = List.of("forms", "sip", "mail", "chats");

    /**
     * An unsorted item. Its embedded contact is an existing one (what accepting would link); it
     * embeds no lead, since the sandbox's leads all sit in sorted stages [simplification].
     */
    Unsorted unsortedItem(int i) {
        SplittableRandom r = Hash.random(seed, UNSORTED, i);
        String category = UNSORTED_CATEGORIES.get(i % UNSORTED_CATEGORIES.size());
        long created = unsorted.createdAt(i);
        Map<String, Object> metadata = switch (category) {
            case "forms" -> FieldValues.object("form_id", "form-" + r.nextInt(20), "form_name", "Заявка с сайта",
                    "form_page", "https://example.ru/landing?utm_source=ya", "ip", "203.0.113." + r.nextInt(255),
                    "form_sent_at", created, "referer", "https://yandex.ru/");
            case "sip" -> FieldValues.object("from", "+7900" + r.nextInt(1_000_000, 9_999_999), "phone", 74950001122L,
                    "called_at", created, "duration", (long) r.nextInt(5, 600), "link", "https://example.ru/rec/" + i + ".mp3",
                    "service_code", "sipuni", "is_call_event_needed", true, "uniq", new java.util.UUID(r.nextLong(), r.nextLong()).toString());
            case "mail" -> FieldValues.object("from", FieldValues.object("email", "client" + i + "@example.ru", "name", Texts.pick(r, Texts.FIRST)),
                    "subject", "Запрос \"цены\" №" + i, "received_at", created, "content_summary", Texts.words(r, 6));
            default -> FieldValues.object("from", "@client" + i, "service", "telegram", "client", FieldValues.object("name",
                    Texts.pick(r, Texts.FIRST)), "last_message_text", Texts.words(r, 4), "source_name", "Telegram");
        };
        long contact = contacts.id((int) ((long) i * shape.contacts() / Math.max(1, shape.unsorted())));
        return new Unsorted(unsorted.id(i), new java.util.UUID(Hash.of(seed, 81, i), Hash.of(seed, 82, i)).toString(),
                "src-" + r.nextInt(1000), category.equals("forms") ? "Сайт" : category, category, ref.pipelines.get(0).id(), created,
                metadata, null, contact, null);
    }

    Customer customer(int i) {
        SplittableRandom r = Hash.random(seed, CUSTOMERS, i);
        User responsible = ref.user(r);
        long updated = customers.updatedAt(i);
        long contact = contacts.id((int) ((long) i * shape.contacts() / shape.customers()));
        int purchases = r.nextInt(0, 12);
        long average = r.nextInt(1, 100) * 500L;
        return new Customer(customers.id(i), i == 1 ? Texts.HOSTILE_NAMES[1] : "Покупатель " + Texts.pick(r, Texts.LAST),
                average, r.nextBoolean() ? updated + r.nextLong(DAY, 60 * DAY) : null, responsible.id(),
                ReferenceData.CUSTOMER_STATUSES[r.nextInt(ReferenceData.CUSTOMER_STATUSES.length)], r.nextBoolean() ? 30 : null,
                ref.user(r).id(), responsible.id(), customers.createdAt(i), updated, null,
                i == 2 ? null : customFields("customers", Hash.random(seed, 92, i), updated, i == 0 ? 1.0 : 0.5),
                purchases * average, purchases, average, tags("customers", Hash.random(seed, 93, i), -1), List.of(contact));
    }

    CustomerTransaction transaction(int t) {
        SplittableRandom r = Hash.random(seed, TRANSACTIONS, t);
        long customer = customers.id((int) ((long) t * shape.customers() / shape.transactions()));
        long created = transactions.createdAt(t);
        long user = ref.user(r).id();
        return new CustomerTransaction(transactions.id(t), customer, r.nextInt(1, 200) * 100L,
                t % 4 == 0 ? null : "Покупка №" + (t + 1), created, created, transactions.updatedAt(t), user, user,
                r.nextBoolean() ? (long) r.nextInt(1, 200) * 100 : null, null);
    }

    CatalogElement element(long catalogId, int e) {
        KindLayout layout = elements.get(catalogId);
        SplittableRandom r = Hash.random(seed, ELEMENTS + catalogId, e);
        long user = ref.user(r).id();
        String name = catalogId == ReferenceData.PRODUCTS ? "Товар «" + Texts.pick(r, Texts.LEAD_WORDS) + "» " + (e + 1)
                : catalogId == ReferenceData.INVOICES ? "Счёт №" + (1000 + e) : Texts.companyName(r);
        return new CatalogElement(layout.id(e), catalogId, name, user, user, layout.createdAt(e), layout.updatedAt(e),
                customFields("catalogs/" + catalogId, Hash.random(seed, 95 + catalogId, e), layout.updatedAt(e), 1.0));
    }

    /** Product elements linked to lead i ({@code with=catalog_elements}): about 20% of leads. */
    List<CatalogLink> leadCatalogElements(int i) {
        if (i != 0 && Hash.below(seed, 105, i, 5) != 0) {
            return List.of();
        }
        KindLayout products = elements.get(ReferenceData.PRODUCTS);
        int first = (int) ((long) i * products.n / shape.leads());
        List<CatalogLink> out = new ArrayList<>();
        out.add(new CatalogLink(products.id(first), ReferenceData.PRODUCTS, 1 + Hash.below(seed, 106, i, 5)));
        if (first + 1 < products.n && Hash.below(seed, 107, i, 2) == 0) {
            out.add(new CatalogLink(products.id(first + 1), ReferenceData.PRODUCTS, 1 + Hash.below(seed, 108, i, 3) + 0.5));
        }
        return List.copyOf(out);
    }

    // ---- shared ------------------------------------------------------------------------------

    /**
     * Values for a share of the entity type's fields (all of them when share is 1).
     */
    List<CustomFieldValue> customFields(String entityType, SplittableRandom r, long timeBase, double share) {
        List<CustomFieldValue> out = new ArrayList<>();
        for (CustomFieldDef def : ref.generatedFields.get(entityType)) {
            if (share >= 1.0 || r.nextDouble() < share) {
                out.add(FieldValues.of(def, r, timeBase));
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** {@code count} tags of the type, or a random 0..2 when count is -1. */
    List<TagRef> tags(String entityType, SplittableRandom r, int count) {
        List<Tag> pool = ref.tags.get(entityType);
        // Only the generated tags: a tag added later by a mutation must not re-roll base records.
        int size = ref.generatedTags.get(entityType);
        int n = count >= 0 ? count : r.nextInt(10) < 5 ? 0 : 1 + r.nextInt(2);
        List<TagRef> out = new ArrayList<>();
        int start = r.nextInt(size);
        for (int k = 0; k < n; k++) {
            Tag t = pool.get((start + k) % size);
            out.add(new TagRef(t.id(), t.name(), t.color()));
        }
        return List.copyOf(out);
    }
}
