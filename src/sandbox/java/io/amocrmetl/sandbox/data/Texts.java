package io.amocrmetl.sandbox.data;

import java.util.SplittableRandom;

/** Word pools for realistic names: Cyrillic and Latin, quotes, and a little punctuation. */
final class Texts {
    private Texts() {}

    static final String[] FIRST = {
        "Иван",
        "Мария",
        "Алексей",
        "Ольга",
        "Дмитрий",
        "Анна",
        "Сергей",
        "Екатерина",
        "John",
        "Emily",
        "Jean-Luc",
        "Zoë",
        "Олег",
        "Наталья",
        "Павел",
        "Ірина"
    };
    static final String[] LAST = {
        "Петров",
        "Смирнова",
        "Иванов",
        "Кузнецова",
        "Попов",
        "Соколова",
        "O'Brien",
        "Smith",
        "Müller",
        "Лебедев",
        "Новикова",
        "Морозов",
        "D'Angelo",
        "Волкова"
    };
    static final String[] COMPANY = {
        "Ромашка",
        "Вектор",
        "Север",
        "Альфа-Трейд",
        "Прогресс",
        "Acme Corp",
        "Globex",
        "Техносервис",
        "Стройинвест",
        "Лотос",
        "Орион",
        "Initech"
    };
    static final String[] COMPANY_FORM = {"ООО", "АО", "ИП", "LLC", "ПАО"};
    static final String[] LEAD_WORDS = {
        "Поставка",
        "Заказ",
        "Монтаж",
        "Подписка",
        "Консультация",
        "Аудит",
        "Разработка",
        "Лицензии",
        "Обучение",
        "Сервис",
        "Renewal",
        "Upsell"
    };
    static final String[] WORDS = {
        "позвонить",
        "клиенту",
        "отправить",
        "счёт",
        "договор",
        "уточнить",
        "сроки",
        "скидка",
        "call",
        "back",
        "КП",
        "встреча",
        "«срочно»",
        "demo"
    };

    static String pick(SplittableRandom rnd, String[] pool) {
        return pool[rnd.nextInt(pool.length)];
    }

    static String words(SplittableRandom rnd, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(pick(rnd, WORDS));
        }
        return sb.toString();
    }

    static String companyName(SplittableRandom rnd) {
        String form = pick(rnd, COMPANY_FORM);
        String name = pick(rnd, COMPANY);
        // Both quoting styles occur in real Russian CRM data: «guillemets» and "straight quotes".
        return rnd.nextBoolean() ? form + " «" + name + "»" : form + " \"" + name + "\"";
    }

    /** Names that break naive CSV, JSON, SQL or shell handling; the generator uses them on purpose. */
    static final String[] HOSTILE_NAMES = {
        "Сделка \"в кавычках\" и 'апострофах'",
        "Emoji 🚀 deal — “smart quotes” & <tags>",
        "Back\\slash; DROP TABLE leads; --",
        "Tab\tand\nnewline",
        "ʻOkina, 中文, العربية, עברית",
    };
}
