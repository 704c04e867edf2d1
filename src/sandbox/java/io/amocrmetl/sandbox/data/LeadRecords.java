package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountGenerator.DAY;
import static io.amocrmetl.sandbox.data.AccountGenerator.LEADS;

import io.amocrmetl.sandbox.model.ContactLink;
import io.amocrmetl.sandbox.model.CustomFieldValue;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Pipeline;
import io.amocrmetl.sandbox.model.Status;
import io.amocrmetl.sandbox.model.TagRef;
import io.amocrmetl.sandbox.model.User;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Base leads: the statuses each went through and the lead as it stands at the end of them
 * (its edge cases are listed on {@link AccountGenerator}).
 */
final class LeadRecords {
    private final AccountGenerator gen;
    private final long seed;
    private final ReferenceData ref;

    LeadRecords(AccountGenerator gen) {
        this.gen = gen;
        this.seed = gen.seed;
        this.ref = gen.ref;
    }

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
        long id = gen.leads.id(i);
        long created = gen.leads.createdAt(i);
        long updated = gen.leads.updatedAt(i);
        StatusChain chain = statusChain(i);
        long status = chain.current();
        boolean closed = status == ReferenceData.WON || status == ReferenceData.LOST;
        User responsible = ref.user(r);
        User creator = ref.user(r);
        String name = i >= 3 && i < 3 + Texts.HOSTILE_NAMES.length
                ? Texts.HOSTILE_NAMES[i - 3]
                : Texts.pick(r, Texts.LEAD_WORDS) + " #" + (i + 1);
        long price = i == 2 ? 0 : r.nextInt(0, 50) * 1000L + r.nextInt(0, 1000);
        BigDecimal minor = i != 2 && r.nextBoolean() ? BigDecimal.valueOf(price * 100 + r.nextInt(0, 100), 2) : null;
        Long lossReason = status == ReferenceData.LOST && r.nextInt(10) < 7
                ? ref.lossReasons.get(r.nextInt(ref.lossReasons.size())).id()
                : null;
        Long closestTask = i == 2 || r.nextInt(10) < 4 ? null : updated + r.nextLong(DAY, 14 * DAY);
        Integer score = i == 2 || r.nextInt(10) < 7 ? null : r.nextInt(0, 101);
        Long laborCost = i == 2 || r.nextBoolean() ? null : (long) r.nextInt(0, 36_000);
        Long sourceId = i == 2 || r.nextInt(10) < 7 ? null : (long) r.nextInt(1, 6);
        List<CustomFieldValue> cf = i == 1 || i == 2
                ? null
                : gen.fields.customFields("leads", Hash.random(seed, 12, i), updated, i == 0 ? 1.0 : 0.25);
        List<TagRef> tags = gen.fields.tags("leads", Hash.random(seed, 13, i), i == 0 ? 2 : i == 2 ? 0 : -1);
        List<ContactLink> links = new ArrayList<>();
        int[] cs = gen.links.leadContacts(i);
        for (int k = 0; k < cs.length; k++) {
            links.add(new ContactLink(gen.contacts.id(cs[k]), k == 0));
        }
        int company = gen.links.leadCompany(i);
        return new Lead(
                id,
                name,
                price,
                minor,
                responsible.id(),
                responsible.groupId(),
                status,
                chain.pipelineId(),
                lossReason,
                sourceId,
                creator.id(),
                responsible.id(),
                created,
                updated,
                closed ? updated : null,
                closestTask,
                score,
                laborCost,
                cf,
                tags,
                List.copyOf(links),
                company < 0 ? null : gen.companies.id(company),
                false);
    }
}
