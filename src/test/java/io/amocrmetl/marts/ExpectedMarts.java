package io.amocrmetl.marts;

import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.FieldValue;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.Task;
import io.amocrmetl.sandbox.model.User;
import io.amocrmetl.testing.ExpectedRows;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each mart must hold, computed from the sandbox's ground truth by test code of its own
 * (java.time for the account's months, BigDecimal for money), never with the mart SQL or the
 * product's conversion code. Keys are lists, values maps of the mart's column names.
 */
final class ExpectedMarts {
    static final long WON = 142;
    static final long LOST = 143;
    private final GroundTruth t;
    private final ZoneId zone;
    private final String gaField;

    ExpectedMarts(GroundTruth truth, String gaField) {
        this.t = truth;
        this.zone = ZoneId.of(truth.account().timezone());
        this.gaField = gaField;
    }

    ZoneId zone() {
        return zone;
    }

    static BigDecimal price(Lead l) {
        return (l.priceWithMinorUnits() != null ? l.priceWithMinorUnits() : BigDecimal.valueOf(l.price())).setScale(2);
    }

    static String stage(Lead l) {
        return l.statusId() == WON ? "won" : l.statusId() == LOST ? "lost" : "open";
    }

    LocalDate localMonth(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds).atZone(zone).toLocalDate().withDayOfMonth(1);
    }

    static LocalDate utcMonth(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds)
                .atZone(ZoneOffset.UTC)
                .toLocalDate()
                .withDayOfMonth(1);
    }

    List<Lead> liveLeads() {
        return t.leads().live();
    }

    Set<Long> liveLeadIds() {
        Set<Long> out = new HashSet<>();
        liveLeads().forEach(l -> out.add(l.id()));
        return out;
    }

    /** sales_funnel: every status of every pipeline, by (pipeline_id, status_id). */
    Map<List<Object>, Map<String, Object>> salesFunnel(long coverageStart) {
        Map<List<Object>, Set<Long>> reached = new LinkedHashMap<>();
        Set<Long> live = liveLeadIds();
        for (Lead l : liveLeads()) {
            reached.computeIfAbsent(List.of(l.pipelineId(), l.statusId()), k -> new HashSet<>())
                    .add(l.id());
        }
        for (Event e : statusChanges(coverageStart)) {
            if (live.contains(e.entityId())) {
                long[] to = to(e);
                reached.computeIfAbsent(List.of(to[0], to[1]), k -> new HashSet<>())
                        .add(e.entityId());
            }
        }
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        for (Pipeline p : t.pipelines()) {
            for (Status s : p.statuses()) {
                List<Object> key = List.of(p.id(), s.id());
                long now = 0;
                BigDecimal amount = BigDecimal.ZERO.setScale(2);
                for (Lead l : liveLeads()) {
                    if (l.pipelineId() == p.id() && l.statusId() == s.id()) {
                        now++;
                        amount = amount.add(price(l));
                    }
                }
                out.put(
                        key,
                        row(
                                "pipeline_name",
                                p.name(),
                                "status_name",
                                s.name(),
                                "status_sort",
                                (long) s.sort(),
                                "stage",
                                s.id() == WON ? "won" : s.id() == LOST ? "lost" : "open",
                                "leads_now",
                                now,
                                "amount_now",
                                amount,
                                "leads_reached",
                                (long) reached.getOrDefault(key, Set.of()).size()));
            }
        }
        return out;
    }

    /** conversion_monthly by (pipeline_id, month). */
    Map<List<Object>, Map<String, Object>> conversionMonthly() {
        Map<List<Object>, long[]> counts = new TreeMap<>(ExpectedMarts::compareKeys);
        Map<List<Object>, BigDecimal[]> money = new TreeMap<>(ExpectedMarts::compareKeys);
        for (Lead l : liveLeads()) {
            List<Object> cohort = List.of(l.pipelineId(), localMonth(l.createdAt()));
            long[] c = counts.computeIfAbsent(cohort, k -> new long[6]);
            BigDecimal[] m = money.computeIfAbsent(cohort, k -> new BigDecimal[] {zero(), zero()});
            c[0]++;
            switch (stage(l)) {
                case "won" -> {
                    c[1]++;
                    m[0] = m[0].add(price(l));
                }
                case "lost" -> c[2]++;
                default -> c[3]++;
            }
            if (!stage(l).equals("open") && l.closedAt() != null) {
                List<Object> closed = List.of(l.pipelineId(), localMonth(l.closedAt()));
                long[] d = counts.computeIfAbsent(closed, k -> new long[6]);
                BigDecimal[] dm = money.computeIfAbsent(closed, k -> new BigDecimal[] {zero(), zero()});
                if (stage(l).equals("won")) {
                    d[4]++;
                    dm[1] = dm[1].add(price(l));
                } else {
                    d[5]++;
                }
            }
        }
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        counts.forEach((k, c) -> out.put(
                k,
                row(
                        "leads_created",
                        c[0],
                        "won",
                        c[1],
                        "lost",
                        c[2],
                        "still_open",
                        c[3],
                        "won_amount",
                        money.get(k)[0],
                        "conversion",
                        c[0] > 0 ? (double) c[1] / c[0] : null,
                        "win_rate",
                        c[1] + c[2] > 0 ? (double) c[1] / (c[1] + c[2]) : null,
                        "closed_won",
                        c[4],
                        "closed_lost",
                        c[5],
                        "closed_won_amount",
                        money.get(k)[1])));
        return out;
    }

    /** time_in_status by (pipeline_id, status_id): stays of live leads from their status changes. */
    Map<List<Object>, Map<String, Object>> timeInStatus(long coverageStart) {
        Map<Long, List<Event>> byLead = new LinkedHashMap<>();
        Set<Long> live = liveLeadIds();
        for (Event e : statusChanges(coverageStart)) {
            if (live.contains(e.entityId())) {
                byLead.computeIfAbsent(e.entityId(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<List<Object>, List<Double>> completed = new LinkedHashMap<>();
        Map<List<Object>, long[]> stays = new LinkedHashMap<>();
        for (List<Event> events : byLead.values()) {
            events.sort(Comparator.comparingLong(Event::createdAt).thenComparing(Event::id));
            for (int i = 0; i < events.size(); i++) {
                long[] to = to(events.get(i));
                List<Object> key = List.of(to[0], to[1]);
                long[] n = stays.computeIfAbsent(key, k -> new long[2]);
                n[0]++;
                if (i + 1 < events.size()) {
                    n[1]++;
                    completed
                            .computeIfAbsent(key, k -> new ArrayList<>())
                            .add((events.get(i + 1).createdAt() - events.get(i).createdAt()) / 3600.0);
                }
            }
        }
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        stays.forEach((k, n) -> {
            List<Double> hours = completed.getOrDefault(k, List.of());
            out.put(
                    k,
                    row(
                            "stays",
                            n[0],
                            "completed_stays",
                            n[1],
                            "open_stays",
                            n[0] - n[1],
                            "avg_hours",
                            hours.isEmpty()
                                    ? null
                                    : hours.stream()
                                            .mapToDouble(Double::doubleValue)
                                            .average()
                                            .orElseThrow(),
                            "median_hours",
                            median(hours),
                            "max_hours",
                            hours.stream().max(Double::compare).orElse(null)));
        });
        return out;
    }

    /** manager_stats by user_id; tasks overdue when due before {@code tasksAsOf} (epoch seconds). */
    Map<List<Object>, Map<String, Object>> managerStats(long tasksAsOf) {
        Map<Long, User> users = new LinkedHashMap<>();
        t.users().forEach(u -> users.put(u.id(), u));
        Set<Long> ids = new java.util.TreeSet<>(users.keySet());
        liveLeads().forEach(l -> ids.add(l.responsibleUserId()));
        List<Task> open =
                t.tasks().live().stream().filter(x -> !x.isCompleted()).toList();
        open.forEach(x -> ids.add(x.responsibleUserId()));
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        for (long id : ids) {
            List<Lead> mine = liveLeads().stream()
                    .filter(l -> l.responsibleUserId() == id)
                    .toList();
            long won = mine.stream().filter(l -> stage(l).equals("won")).count();
            long lost = mine.stream().filter(l -> stage(l).equals("lost")).count();
            BigDecimal wonAmount = mine.stream()
                    .filter(l -> stage(l).equals("won"))
                    .map(ExpectedMarts::price)
                    .reduce(zero(), BigDecimal::add);
            BigDecimal openAmount = mine.stream()
                    .filter(l -> stage(l).equals("open"))
                    .map(ExpectedMarts::price)
                    .reduce(zero(), BigDecimal::add);
            List<Task> tasks =
                    open.stream().filter(x -> x.responsibleUserId() == id).toList();
            User u = users.get(id);
            out.put(
                    List.of(id),
                    row(
                            "user_name",
                            u == null ? null : u.name(),
                            "is_active",
                            u != null && u.isActive(),
                            "leads",
                            (long) mine.size(),
                            "open_leads",
                            mine.size() - won - lost,
                            "won",
                            won,
                            "lost",
                            lost,
                            "won_amount",
                            wonAmount,
                            "open_amount",
                            openAmount,
                            "win_rate",
                            won + lost > 0 ? (double) won / (won + lost) : null,
                            "open_tasks",
                            (long) tasks.size(),
                            "overdue_tasks",
                            tasks.stream()
                                    .filter(x -> x.completeTill() < tasksAsOf)
                                    .count()));
        }
        return out;
    }

    /** ga_client_id_coverage by (pipeline_id, month). */
    Map<List<Object>, Map<String, Object>> gaCoverage() {
        Map<List<Object>, long[]> counts = new TreeMap<>(ExpectedMarts::compareKeys);
        for (Lead l : liveLeads()) {
            long[] c = counts.computeIfAbsent(List.of(l.pipelineId(), localMonth(l.createdAt())), k -> new long[2]);
            c[0]++;
            String ga = firstValue(l, gaField);
            if (ga != null && !ga.isBlank()) {
                c[1]++;
            }
        }
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        counts.forEach((k, c) -> out.put(
                k,
                row(
                        "leads",
                        c[0],
                        "with_ga_client_id",
                        c[1],
                        "without_ga_client_id",
                        c[0] - c[1],
                        "share_with_ga_client_id",
                        (double) c[1] / c[0])));
        return out;
    }

    /**
     * leads_wide's custom-field cells by (lead_id, field_id): typed as the field's type says, several
     * values joined with ", " in their order.
     */
    Map<List<Object>, Object> wideCells() {
        Map<List<Object>, Object> out = new LinkedHashMap<>();
        for (Lead l : liveLeads()) {
            for (CustomFieldValue f : l.customFields() == null ? List.<CustomFieldValue>of() : l.customFields()) {
                if (f.values().isEmpty()) {
                    continue;
                }
                Object first = f.values().get(0).value();
                Object cell = switch (f.fieldType()) {
                    case "numeric", "price", "monetary" ->
                        new BigDecimal(String.valueOf(first).replace(" ", ""));
                    case "date", "birthday" ->
                        LocalDate.ofEpochDay(Math.floorDiv(Long.parseLong(String.valueOf(first)), 86_400L));
                    case "date_time" -> Instant.ofEpochSecond(Long.parseLong(String.valueOf(first)));
                    case "checkbox" ->
                        Boolean.TRUE.equals(first)
                                || "true".equals(String.valueOf(first))
                                || "1".equals(String.valueOf(first));
                    default -> {
                        List<String> texts = new ArrayList<>();
                        for (FieldValue v : f.values()) {
                            texts.add(ExpectedRows.fieldValueText(v.value()));
                        }
                        yield String.join(", ", texts);
                    }
                };
                out.put(List.of(l.id(), f.fieldId()), cell);
            }
        }
        return out;
    }

    /** The mybi amocrm_leads_attributes values by (leads_id, attribute_id): every lead, deleted ones too. */
    Map<List<Object>, String> mybiAttributes() {
        Map<List<Object>, String> out = new LinkedHashMap<>();
        List<Lead> all = new ArrayList<>(t.leads().live());
        t.leads().deleted().forEach(d -> all.add(d.record()));
        for (Lead l : all) {
            for (CustomFieldValue f : l.customFields() == null ? List.<CustomFieldValue>of() : l.customFields()) {
                List<String> texts = new ArrayList<>();
                f.values().forEach(v -> texts.add(ExpectedRows.fieldValueText(v.value())));
                if (!texts.isEmpty()) {
                    out.put(List.of(l.id(), String.valueOf(f.fieldId())), String.join(", ", texts));
                }
            }
        }
        return out;
    }

    /** The account's wall-clock time as mybi shows it, an instant shifted by the zone's offset then. */
    Instant localTime(Long epochSeconds) {
        if (epochSeconds == null) {
            return null;
        }
        Instant at = Instant.ofEpochSecond(epochSeconds);
        return at.plusSeconds(zone.getRules().getOffset(at).getTotalSeconds());
    }

    /** amocrm_leads by id: a live lead's names and ids; a deleted one only flagged (its values are its last load's). */
    Map<List<Object>, Map<String, Object>> mybiLeads() {
        Map<Long, String> lossReasons = new HashMap<>();
        t.lossReasons().forEach(r -> lossReasons.put(r.id(), r.name()));
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        for (Lead l : liveLeads()) {
            Pipeline p = t.pipelines().stream()
                    .filter(x -> x.id() == l.pipelineId())
                    .findFirst()
                    .orElseThrow();
            Status s = p.statuses().stream()
                    .filter(x -> x.id() == l.statusId())
                    .findFirst()
                    .orElseThrow();
            out.put(
                    List.of(l.id()),
                    row(
                            "lead_id",
                            l.id(),
                            "name",
                            l.name(),
                            "pipeline",
                            p.name(),
                            "pipeline_id",
                            p.id(),
                            "status",
                            s.name(),
                            "status_id",
                            s.id(),
                            "status_order",
                            (long) s.sort(),
                            "loss_reason",
                            l.lossReasonId() == null ? null : lossReasons.get(l.lossReasonId()),
                            "loss_reason_id",
                            l.lossReasonId(),
                            "is_deleted",
                            false));
        }
        t.leads().deleted().forEach(d -> out.put(List.of(d.record().id()), row("is_deleted", true)));
        return out;
    }

    /** amocrm_leads_facts by leads_id: links, money and local dates of live leads (deleted ones: present). */
    Map<List<Object>, Map<String, Object>> mybiLeadFacts() {
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        for (Lead l : liveLeads()) {
            // The main contact, else the first one linked (amoCRM marks one as main only when asked to).
            Long contact = l.contacts() == null || l.contacts().isEmpty()
                    ? null
                    : l.contacts().stream()
                            .filter(c -> c.isMain())
                            .findFirst()
                            .orElse(l.contacts().get(0))
                            .contactId();
            out.put(
                    List.of(l.id()),
                    row(
                            "users_id",
                            l.responsibleUserId(),
                            "contacts_id",
                            contact,
                            "companies_id",
                            l.companyId(),
                            "created_date",
                            localTime(l.createdAt()),
                            "closed_date",
                            localTime(l.closedAt()),
                            "price",
                            price(l),
                            "labor_cost",
                            l.laborCost(),
                            "score",
                            l.score() == null ? null : (long) l.score()));
        }
        t.leads().deleted().forEach(d -> out.put(List.of(d.record().id()), row()));
        return out;
    }

    /** amocrm_leads_tags of live leads, by (leads_id, tag_id): the tag's name. */
    Map<List<Object>, Map<String, Object>> mybiLeadTags() {
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        for (Lead l : liveLeads()) {
            l.tags().forEach(tag -> out.put(List.of(l.id(), tag.id()), row("name", tag.name())));
        }
        return out;
    }

    /** amocrm_tasks of live tasks by id: type, texts, and status_code 1 when completed. */
    Map<List<Object>, Map<String, Object>> mybiTasks() {
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        for (Task x : t.tasks().live()) {
            out.put(
                    List.of(x.id()),
                    row(
                            "task_id",
                            x.id(),
                            "task_type",
                            x.taskTypeId(),
                            "text",
                            x.text(),
                            "result",
                            x.resultText(),
                            "status_code",
                            x.isCompleted() ? 1L : 0L,
                            "is_deleted",
                            false));
        }
        return out;
    }

    /** amocrm_users by user_id: the login is the e-mail; phone, group and role names are unknown to the API. */
    Map<List<Object>, Map<String, Object>> mybiUsers() {
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        for (User u : t.users()) {
            out.put(
                    List.of(u.id()),
                    row(
                            "login",
                            u.email(),
                            "name",
                            u.name(),
                            "email",
                            u.email(),
                            "phone",
                            null,
                            "group_id",
                            u.groupId(),
                            "group_name",
                            null,
                            "role_id",
                            u.roleId(),
                            "role_name",
                            null,
                            "is_admin",
                            u.isAdmin(),
                            "is_active",
                            u.isActive(),
                            "is_free",
                            u.isFree()));
        }
        return out;
    }

    /** amocrm_pipelines by pipeline_id. */
    Map<List<Object>, Map<String, Object>> mybiPipelines() {
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        for (Pipeline p : t.pipelines()) {
            out.put(
                    List.of(p.id()),
                    row(
                            "name",
                            p.name(),
                            "sort",
                            (long) p.sort(),
                            "is_main",
                            p.isMain(),
                            "is_unsorted_on",
                            p.isUnsortedOn(),
                            "is_archive",
                            p.isArchive()));
        }
        return out;
    }

    private String firstValue(Lead l, String fieldName) {
        for (CustomFieldValue f : l.customFields() == null ? List.<CustomFieldValue>of() : l.customFields()) {
            if (f.fieldName().equals(fieldName) && !f.values().isEmpty()) {
                return ExpectedRows.fieldValueText(f.values().get(0).value());
            }
        }
        return null;
    }

    List<Event> statusChanges(long coverageStart) {
        return t.events().stream()
                .filter(e -> e.type().equals("lead_status_changed") && e.createdAt() >= coverageStart)
                .toList();
    }

    /** The (pipeline, status) a status change leads to. */
    @SuppressWarnings("unchecked")
    static long[] to(Event e) {
        Map<String, Object> after = (Map<String, Object>) e.valueAfter().get(0).get("lead_status");
        return new long[] {((Number) after.get("pipeline_id")).longValue(), ((Number) after.get("id")).longValue()};
    }

    /** The median as Spark's exact percentile(x, 0.5) defines it: the middle value, or the mean of the middle two. */
    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> s = new ArrayList<>(values);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(2);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
