package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountGenerator.UNSORTED;

import io.amocrmetl.sandbox.model.Unsorted;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/** Base unsorted items, the four categories in turn, each with the metadata its source sends. */
final class UnsortedRecords {
    static final List<String> UNSORTED_CATEGORIES = List.of("forms", "sip", "mail", "chats");

    private final AccountGenerator gen;
    private final long seed;
    private final AccountShape shape;
    private final ReferenceData ref;

    UnsortedRecords(AccountGenerator gen) {
        this.gen = gen;
        this.seed = gen.seed;
        this.shape = gen.shape;
        this.ref = gen.ref;
    }

    /**
     * An unsorted item. Its embedded contact is an existing one (what accepting would link); it
     * embeds no lead, since the sandbox's leads all sit in sorted stages [simplification].
     */
    Unsorted unsortedItem(int i) {
        SplittableRandom r = Hash.random(seed, UNSORTED, i);
        String category = UNSORTED_CATEGORIES.get(i % UNSORTED_CATEGORIES.size());
        long created = gen.unsorted.createdAt(i);
        Map<String, Object> metadata = switch (category) {
            case "forms" ->
                FieldValues.object(
                        "form_id",
                        "form-" + r.nextInt(20),
                        "form_name",
                        "Заявка с сайта",
                        "form_page",
                        "https://example.ru/landing?utm_source=ya",
                        "ip",
                        "203.0.113." + r.nextInt(255),
                        "form_sent_at",
                        created,
                        "referer",
                        "https://yandex.ru/");
            case "sip" ->
                FieldValues.object(
                        "from",
                        "+7900" + r.nextInt(1_000_000, 9_999_999),
                        "phone",
                        74950001122L,
                        "called_at",
                        created,
                        "duration",
                        (long) r.nextInt(5, 600),
                        "link",
                        "https://example.ru/rec/" + i + ".mp3",
                        "service_code",
                        "sipuni",
                        "is_call_event_needed",
                        true,
                        "uniq",
                        new UUID(r.nextLong(), r.nextLong()).toString());
            case "mail" ->
                FieldValues.object(
                        "from",
                        FieldValues.object("email", "client" + i + "@example.ru", "name", Texts.pick(r, Texts.FIRST)),
                        "subject",
                        "Запрос \"цены\" №" + i,
                        "received_at",
                        created,
                        "content_summary",
                        Texts.words(r, 6));
            default ->
                FieldValues.object(
                        "from",
                        "@client" + i,
                        "service",
                        "telegram",
                        "client",
                        FieldValues.object("name", Texts.pick(r, Texts.FIRST)),
                        "last_message_text",
                        Texts.words(r, 4),
                        "source_name",
                        "Telegram");
        };
        long contact = gen.contacts.id((int) ((long) i * shape.contacts() / Math.max(1, shape.unsorted())));
        return new Unsorted(
                gen.unsorted.id(i),
                new UUID(Hash.of(seed, 81, i), Hash.of(seed, 82, i)).toString(),
                "src-" + r.nextInt(1000),
                category.equals("forms") ? "Сайт" : category,
                category,
                ref.pipelines.get(0).id(),
                created,
                metadata,
                null,
                contact,
                null);
    }
}
