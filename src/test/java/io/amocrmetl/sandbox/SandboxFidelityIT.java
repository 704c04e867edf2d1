package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.data.Fidelity;
import io.amocrmetl.sandbox.data.GroundTruth;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
import io.amocrmetl.sandbox.model.Note;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each fidelity switch (docs/amocrm-api.md §9) changes behaviour exactly as documented: one test per value. */
class SandboxFidelityIT {
    Sandbox sandbox;
    ApiWalker api;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeed(64).withLeads(150));
        sandbox.limits().enabled = false;
        api = new ApiWalker(sandbox.baseUrl(), sandbox.settings().token());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private Lead someLead() {
        return sandbox.groundTruth().leads().live().get(60);
    }

    @ParameterizedTest(name = "fromInclusive={0}")
    @ValueSource(booleans = {true, false})
    void fromBoundInclusivity(boolean inclusive) {
        sandbox.fidelity().fromInclusive = inclusive;
        Lead lead = someLead();
        List<Long> ids = api.walk("/api/v4/leads?limit=250&filter[updated_at][from]=" + lead.updatedAt(), "leads")
                .ids();
        assertEquals(inclusive, ids.contains(lead.id()));
        long t = sandbox.groundTruth().events().get(100).createdAt();
        Set<Long> atT = new HashSet<>();
        api.walk("/api/v4/events?filter[created_at][from]=" + t, "events")
                .items()
                .forEach(e -> atT.add(e.get("created_at").asLong()));
        assertEquals(inclusive, atT.contains(t), "events follow the same reading");
    }

    @ParameterizedTest(name = "toInclusive={0}")
    @ValueSource(booleans = {true, false})
    void toBoundInclusivity(boolean inclusive) {
        sandbox.fidelity().toInclusive = inclusive;
        Lead lead = someLead();
        List<Long> ids = api.walk("/api/v4/leads?limit=250&filter[updated_at][to]=" + lead.updatedAt(), "leads")
                .ids();
        assertEquals(inclusive, ids.contains(lead.id()));
    }

    @ParameterizedTest(name = "eventsPageMax={0}")
    @ValueSource(ints = {100, 250})
    void eventsPageSize(int max) {
        sandbox.fidelity().eventsPageMax = max;
        assertEquals(
                max,
                api.get("/api/v4/events?limit=250")
                        .json()
                        .at("/_embedded/events")
                        .size());
    }

    @ParameterizedTest(name = "apiFilters={0}")
    @ValueSource(booleans = {true, false})
    void filtersFollowTheAccountFlag(boolean enabled) {
        sandbox.fidelity().apiFilters(enabled);
        assertEquals(
                enabled,
                api.get("/api/v4/account").json().get("is_api_filter_enabled").asBoolean());
        Lead lead = someLead();
        List<Long> ids = api.walk("/api/v4/leads?limit=250&filter[id][]=" + lead.id(), "leads")
                .ids();
        assertEquals(enabled ? 1 : 150, ids.size());
    }

    /** An account that reports filters on but ignores them: the client's page check must catch it. */
    @Test
    void filtersIgnoredWhileTheFlagSaysOn() {
        sandbox.fidelity().honourFilters = false;
        assertTrue(
                api.get("/api/v4/account").json().get("is_api_filter_enabled").asBoolean());
        assertEquals(
                150,
                api.walk("/api/v4/leads?limit=250&filter[id][]=" + someLead().id(), "leads")
                        .ids()
                        .size());
    }

    @ParameterizedTest(name = "linkBumpsUpdatedAt={0}")
    @ValueSource(booleans = {true, false})
    void linkMovesUpdatedAtOnlyWhenSwitchedOn(boolean bumps) {
        sandbox.fidelity().linkBumpsUpdatedAt = bumps;
        Lead lead = someLead();
        long contact = sandbox.groundTruth().contacts().live().get(99).id();
        sandbox.clock().advance(Duration.ofHours(1));
        // The clock runs in real time: the link's second lies between these two readings.
        long linkedFrom = sandbox.clock().nowSeconds();
        sandbox.account().link(lead.id(), contact, false);
        long linkedTo = sandbox.clock().nowSeconds();
        long updated =
                api.get("/api/v4/leads/" + lead.id()).json().get("updated_at").asLong();
        assertEquals(bumps, updated != lead.updatedAt());
        long contactUpdated =
                api.get("/api/v4/contacts/" + contact).json().get("updated_at").asLong();
        assertEquals(bumps, contactUpdated >= linkedFrom && contactUpdated <= linkedTo);
    }

    @ParameterizedTest(name = "mergeBumpsUpdatedAt={0}")
    @ValueSource(booleans = {true, false})
    void mergeMovesUpdatedAtOnlyWhenSwitchedOn(boolean bumps) {
        sandbox.fidelity().mergeBumpsUpdatedAt = bumps;
        var contacts = sandbox.groundTruth().contacts().live();
        long survivor = contacts.get(10).id();
        long loser = contacts.stream()
                .filter(c -> c.id() != survivor
                        && !sandbox.account().contactLeads(c.id()).isEmpty())
                .findFirst()
                .orElseThrow()
                .id();
        long relinked = sandbox.account().contactLeads(loser).get(0);
        long leadBefore =
                api.get("/api/v4/leads/" + relinked).json().get("updated_at").asLong();
        long survivorBefore = contacts.get(10).updatedAt();
        sandbox.clock().advance(Duration.ofHours(1));
        sandbox.account().mergeContacts(survivor, loser);
        assertEquals(
                bumps,
                api.get("/api/v4/contacts/" + survivor).json().get("updated_at").asLong() != survivorBefore);
        assertEquals(
                bumps,
                api.get("/api/v4/leads/" + relinked).json().get("updated_at").asLong() != leadBefore);
    }

    @ParameterizedTest(name = "restoreBumpsUpdatedAt={0}")
    @ValueSource(booleans = {true, false})
    void restoreMovesUpdatedAtOnlyWhenSwitchedOn(boolean bumps) {
        sandbox.fidelity().restoreBumpsUpdatedAt = bumps;
        Lead lead = someLead();
        sandbox.account().delete("leads", lead.id());
        sandbox.clock().advance(Duration.ofHours(1));
        sandbox.account().restore("leads", lead.id());
        assertEquals(
                bumps,
                api.get("/api/v4/leads/" + lead.id()).json().get("updated_at").asLong() != lead.updatedAt());
    }

    /** 1,000 updates stamped with the same second are all there for a reader of that second. */
    @Test
    void thousandUpdatesInOneSecond() {
        try (Sandbox big = Sandbox.start(SandboxSettings.defaults().withSeed(65).withLeads(1200))) {
            big.limits().enabled = false;
            ApiWalker b = new ApiWalker(big.baseUrl(), big.settings().token());
            big.clock().advance(Duration.ofMinutes(10));
            List<Long> ids = big.account().bulkUpdateSameSecond(1000);
            long second = big.clock().nowSeconds();
            ApiWalker.Walk walk = b.walk(
                    "/api/v4/leads?limit=250&order[updated_at]=asc&filter[updated_at][from]=" + (second - 1), "leads");
            assertEquals(new HashSet<>(ids), new HashSet<>(walk.ids()));
            assertEquals(1000, walk.ids().size());
            assertEquals(
                    1,
                    walk.items().stream()
                            .map(i -> i.get("updated_at").asLong())
                            .distinct()
                            .count(),
                    "one second");
            assertEquals(4, walk.requests());
        }
    }

    /** Records of one second come by id ascending, or (tiesReversed) descending, under order[updated_at]=asc. */
    @ParameterizedTest(name = "tiesReversed={0}")
    @ValueSource(booleans = {false, true})
    void tieOrderWithinOneSecond(boolean reversed) {
        sandbox.fidelity().tiesReversed = reversed;
        sandbox.clock().advance(Duration.ofMinutes(10));
        List<Long> ids = sandbox.account().bulkUpdateSameSecond(40);
        long second = sandbox.clock().nowSeconds();
        List<Long> got = api.walk(
                        "/api/v4/leads?limit=250&order[updated_at]=asc&filter[updated_at][from]=" + second, "leads")
                .ids();
        List<Long> want = ids.stream()
                .sorted(reversed ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder())
                .toList();
        assertEquals(want, got.stream().filter(ids::contains).toList());
    }

    /** A non-admin's GET /users/{id}: a problem+json 403 when admin-only, else the user with is_admin false. */
    @ParameterizedTest(name = "userByIdAdminOnly={0}")
    @ValueSource(booleans = {true, false})
    void aSingleUserForANonAdmin(boolean adminOnly) {
        sandbox.fidelity().userByIdAdminOnly = adminOnly;
        io.amocrmetl.sandbox.model.User member = sandbox.groundTruth().users().stream()
                .filter(u -> !u.isAdmin())
                .findFirst()
                .orElseThrow();
        String token = "llt-member-" + member.id();
        sandbox.oauth().addLongLivedToken(token, member.id());
        ApiWalker asMember = new ApiWalker(sandbox.baseUrl(), token);
        ApiWalker.Response one = asMember.get("/api/v4/users/" + member.id());
        if (adminOnly) {
            assertEquals(403, one.status());
            String type = String.valueOf(one.headers().get("content-type"));
            assertTrue(type.contains("application/problem+json"), type);
        } else {
            assertEquals(200, one.status());
            assertFalse(
                    one.json().at("/rights/is_admin").asBoolean(true),
                    one.json().toString());
        }
        assertEquals(403, asMember.get("/api/v4/users").status(), "the list is admin-only either way");
    }

    @ParameterizedTest(name = "eventsCreatedAt={0}")
    @EnumSource(Fidelity.CreatedAtForm.class)
    void eventsCreatedAtForms(Fidelity.CreatedAtForm form) {
        sandbox.fidelity().eventsCreatedAt = form;
        List<Event> events = sandbox.groundTruth().events();
        long from = events.get(200).createdAt();
        long to = events.get(260).createdAt();
        long inRange = events.stream()
                .filter(e -> e.createdAt() >= from && e.createdAt() <= to)
                .count();
        int rangeCount = api.walk(
                        "/api/v4/events?filter[created_at][from]=" + from + "&filter[created_at][to]=" + to, "events")
                .items()
                .size();
        int commaCount = api.walk("/api/v4/events?filter[created_at]=" + from + "," + to, "events")
                .items()
                .size();
        assertEquals(form == Fidelity.CreatedAtForm.COMMA ? events.size() : inRange, rangeCount, "range form");
        assertEquals(form == Fidelity.CreatedAtForm.RANGE ? events.size() : inRange, commaCount, "comma form");
        assertFalse(inRange == events.size());
    }

    /** Event history retention (docs/amocrm-api.md §4.3, §9.3): 0 keeps all, N days drops older events from the list. */
    @ParameterizedTest(name = "eventsRetentionDays={0}")
    @ValueSource(ints = {0, 30})
    void eventsRetention(int days) {
        sandbox.fidelity().eventsRetentionDays = days;
        GroundTruth truth = sandbox.groundTruth();
        long cutoff = truth.takenAt() - days * 86_400L;
        List<String> expected = truth.events().stream()
                .filter(e -> days == 0 || e.createdAt() >= cutoff)
                .map(Event::id)
                .toList();
        List<String> listed = api.walk("/api/v4/events?limit=100", "events").stringIds();
        assertEquals(expected, listed);
        assertEquals(days == 0, listed.size() == truth.events().size(), "older events are gone only under a retention");
        assertFalse(listed.isEmpty(), "recent events are still listed");
    }

    /**
     * Recycle-bin retention (docs/amocrm-api.md §7, §9.4): a lead deleted longer ago than N days leaves
     * with=only_deleted and cannot be restored; 0 keeps it restorable forever.
     */
    @ParameterizedTest(name = "binRetentionDays={0}")
    @ValueSource(ints = {0, 7})
    void binRetention(int days) {
        sandbox.fidelity().binRetentionDays = days;
        List<Lead> live = sandbox.groundTruth().leads().live();
        long old = live.get(10).id();
        long recent = live.get(20).id();
        sandbox.account().delete("leads", old);
        sandbox.clock().advance(Duration.ofDays(10));
        sandbox.account().delete("leads", recent);
        List<Long> listed = api.walk("/api/v4/leads?with=only_deleted", "leads").ids();
        assertEquals(days == 0 ? List.of(old, recent) : List.of(recent), listed);
        if (days == 0) {
            sandbox.account().restore("leads", old);
        } else {
            assertThrows(IllegalArgumentException.class, () -> sandbox.account().restore("leads", old));
        }
        sandbox.account().restore("leads", recent);
        assertEquals(200, api.get("/api/v4/leads/" + recent).status(), "a recent delete is restorable either way");
        assertEquals(days == 0 ? 200 : 204, api.get("/api/v4/leads/" + old).status());
    }

    /**
     * A page cap (docs/amocrm-api.md §3.5, §9.5: none documented). Past it the answer is 204, like past
     * the end of the list, so a reader that stops on 204 under-reads: the walk shows it.
     */
    @ParameterizedTest(name = "maxPage={0}")
    @ValueSource(ints = {0, 2})
    void pageCap(int maxPage) {
        sandbox.fidelity().maxPage = maxPage;
        assertEquals(200, api.get("/api/v4/leads?limit=25&page=2").status());
        ApiWalker.Response third = api.get("/api/v4/leads?limit=25&page=3");
        assertEquals(maxPage == 0 ? 200 : 204, third.status());
        if (maxPage != 0) {
            assertEquals(0, third.body().length, "204 carries no body");
        }
        assertEquals(
                maxPage == 0 ? 150 : 50,
                api.walk("/api/v4/leads?limit=25", "leads").ids().size());
        assertEquals(
                maxPage == 0 ? 200 : 204,
                api.get("/api/v4/events?limit=10&page=3").status(),
                "every paged list");
    }

    /** Custom fields per page (docs/amocrm-api.md §2.1, §9.7): "up to 50" or a limit of up to 250. */
    @ParameterizedTest(name = "customFieldsPageMax={0}")
    @ValueSource(ints = {50, 250})
    void customFieldsPageSize(int max) {
        sandbox.fidelity().customFieldsPageMax = max;
        int total = sandbox.groundTruth().customFields().get("leads").size();
        assertTrue(total > 50, "enough lead fields to tell the readings apart: " + total);
        ApiWalker.Response r = api.get("/api/v4/leads/custom_fields?limit=250");
        assertEquals(
                Math.min(max, total), r.json().at("/_embedded/custom_fields").size());
        assertEquals(max == 50 ? 2 : 1, r.json().get("_page_count").asInt());
        assertEquals(
                total,
                api.walk("/api/v4/leads/custom_fields?limit=250", "custom_fields")
                        .ids()
                        .size());
    }

    /** filter[statuses] (docs/amocrm-api.md §4.2, §9.8): several pairs, or "only one stage in one pipeline". */
    @ParameterizedTest(name = "statusesSinglePair={0}")
    @ValueSource(booleans = {false, true})
    void statusesPairs(boolean single) {
        sandbox.fidelity().statusesSinglePair = single;
        List<Lead> live = sandbox.groundTruth().leads().live();
        Lead a = live.get(5);
        Lead b = live.stream()
                .filter(l -> l.statusId() != a.statusId())
                .findFirst()
                .orElseThrow();
        String one = "filter[statuses][0][pipeline_id]=" + a.pipelineId() + "&filter[statuses][0][status_id]="
                + a.statusId();
        String two = one + "&filter[statuses][1][pipeline_id]=" + b.pipelineId() + "&filter[statuses][1][status_id]="
                + b.statusId();
        assertEquals(
                live.stream()
                        .filter(l -> l.pipelineId() == a.pipelineId() && l.statusId() == a.statusId())
                        .map(Lead::id)
                        .toList(),
                api.walk("/api/v4/leads?" + one, "leads").ids(),
                "one pair works either way");
        ApiWalker.Response r = api.get("/api/v4/leads?limit=250&" + two);
        if (single) {
            assertEquals(400, r.status());
            assertEquals("application/problem+json", r.header("Content-Type"));
            assertEquals(
                    "filter[statuses]",
                    r.json().at("/validation-errors/0/errors/0/path").asText());
        } else {
            assertEquals(200, r.status());
            List<Long> got = new java.util.ArrayList<>();
            r.json().at("/_embedded/leads").forEach(i -> got.add(i.get("id").asLong()));
            assertEquals(
                    live.stream()
                            .filter(l -> (l.pipelineId() == a.pipelineId() && l.statusId() == a.statusId())
                                    || (l.pipelineId() == b.pipelineId() && l.statusId() == b.statusId()))
                            .map(Lead::id)
                            .toList(),
                    got);
        }
    }

    /** A single-item GET of a missing or deleted id (docs/amocrm-api.md §3.3, §7): 204 as reported, or 404. */
    @ParameterizedTest(name = "missingIdStatus={0}")
    @ValueSource(ints = {204, 404})
    void missingOrDeletedId(int status) {
        sandbox.fidelity().missingIdStatus = status;
        Lead lead = someLead();
        sandbox.account().delete("leads", lead.id());
        long contact = sandbox.groundTruth().contacts().live().get(3).id();
        for (String path : List.of(
                "/api/v4/leads/" + lead.id(), "/api/v4/leads/999999999999", "/api/v4/companies/1", "/api/v4/tasks/2")) {
            ApiWalker.Response r = api.get(path);
            assertEquals(status, r.status(), path);
            if (status == 204) {
                assertEquals(0, r.body().length, path);
            } else {
                assertEquals("application/problem+json", r.header("Content-Type"), path);
                assertEquals(404, r.json().get("status").asInt(), path);
            }
        }
        assertEquals(200, api.get("/api/v4/contacts/" + contact).status(), "a live id is served either way");
    }

    /**
     * A range that is empty under exclusive bounds, [from]=X&[to]=X with both bounds exclusive,
     * answers 204 with no body on every list (EntityTable.scan returns no rows for it, docs/amocrm-api.md
     * §3.3); under inclusive bounds the same X returns its rows.
     */
    @ParameterizedTest(name = "exclusive={0}")
    @ValueSource(booleans = {false, true})
    void emptyRangeUnderExclusiveBoundsAnswers204WithNoBody(boolean exclusive) {
        sandbox.fidelity().fromInclusive = !exclusive;
        sandbox.fidelity().toInclusive = !exclusive;
        GroundTruth truth = sandbox.groundTruth();
        Note note = truth.notes().get("leads").live().get(4);
        List<String> paths = List.of(
                "/api/v4/leads?" + range("updated_at", someLead().updatedAt()),
                "/api/v4/contacts?"
                        + range("updated_at", truth.contacts().live().get(8).updatedAt()),
                "/api/v4/companies?"
                        + range("updated_at", truth.companies().live().get(2).updatedAt()),
                "/api/v4/tasks?"
                        + range("updated_at", truth.tasks().live().get(9).updatedAt()),
                "/api/v4/leads/notes?" + range("updated_at", note.updatedAt()),
                "/api/v4/leads?order[updated_at]=desc&"
                        + range("updated_at", someLead().updatedAt()),
                "/api/v4/leads?" + range("created_at", someLead().createdAt()),
                "/api/v4/events?" + range("created_at", truth.events().get(40).createdAt()));
        for (String path : paths) {
            ApiWalker.Response r = api.get(path);
            if (exclusive) {
                assertEquals(204, r.status(), path);
                assertEquals(0, r.body().length, path + " has no body");
            } else {
                assertEquals(200, r.status(), path);
            }
        }
    }

    private static String range(String field, long x) {
        return "filter[" + field + "][from]=" + x + "&filter[" + field + "][to]=" + x;
    }
}
