package io.amocrmetl.sandbox.data;

import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The events of base records' histories (an _added event, a lead's status changes, a task's
 * completion), derived like the records themselves, plus the event shape mutations reuse.
 */
final class BaseEvents {
    private final AccountGenerator gen;
    private final long seed;
    private final ReferenceData ref;

    BaseEvents(AccountGenerator gen) {
        this.gen = gen;
        this.seed = gen.seed;
        this.ref = gen.ref;
    }

    /** lead_added, then one lead_status_changed per step of the chain, the last at updated_at. */
    List<Event> leadEvents(int i) {
        long created = gen.leads.createdAt(i);
        long updated = gen.leads.updatedAt(i);
        LeadRecords.StatusChain chain = gen.leadRecords.statusChain(i);
        SplittableRandom r = Hash.random(seed, 14, i);
        long id = gen.leads.id(i);
        long user = ref.user(r).id();
        List<Event> out = new ArrayList<>();
        out.add(event(r, "lead_added", id, "lead", user, created, List.of(), List.of()));
        int changes = chain.statuses().length - 1;
        for (int k = 1; k <= changes; k++) {
            long at = created + Math.floorDiv((updated - created) * k + changes - 1, changes);
            out.add(event(
                    r,
                    "lead_status_changed",
                    id,
                    "lead",
                    ref.user(r).id(),
                    at,
                    List.of(leadStatus(chain.statuses()[k], chain.pipelineId())),
                    List.of(leadStatus(chain.statuses()[k - 1], chain.pipelineId()))));
        }
        return out;
    }

    static Map<String, Object> leadStatus(long statusId, long pipelineId) {
        return FieldValues.object("lead_status", FieldValues.object("id", statusId, "pipeline_id", pipelineId));
    }

    Event event(
            SplittableRandom r,
            String type,
            long entityId,
            String entityType,
            long user,
            long at,
            List<Map<String, Object>> after,
            List<Map<String, Object>> before) {
        String id = Ulid.of(at * 1000 + r.nextInt(1000), r.nextLong(), r.nextLong());
        return new Event(id, type, entityId, entityType, user, at, after, before);
    }

    List<Event> contactEvents(int j) {
        SplittableRandom r = Hash.random(seed, 24, j);
        return List.of(event(
                r,
                "contact_added",
                gen.contacts.id(j),
                "contact",
                ref.user(r).id(),
                gen.contacts.createdAt(j),
                List.of(),
                List.of()));
    }

    List<Event> companyEvents(int k) {
        SplittableRandom r = Hash.random(seed, 34, k);
        return List.of(event(
                r,
                "company_added",
                gen.companies.id(k),
                "company",
                ref.user(r).id(),
                gen.companies.createdAt(k),
                List.of(),
                List.of()));
    }

    List<Event> taskEvents(int t) {
        SplittableRandom r = Hash.random(seed, 44, t);
        Task task = gen.activities.task(t);
        List<Event> out = new ArrayList<>();
        out.add(event(r, "task_added", task.id(), "task", task.createdBy(), task.createdAt(), List.of(), List.of()));
        if (task.isCompleted()) {
            out.add(event(
                    r, "task_completed", task.id(), "task", task.updatedBy(), task.updatedAt(), List.of(), List.of()));
        }
        return out;
    }
}
