package io.amocrmetl.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.sandbox.data.Fidelity;
import io.amocrmetl.sandbox.model.Event;
import io.amocrmetl.sandbox.model.Lead;
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

/** Each fidelity switch (reference §9) changes behaviour exactly as documented: one test per value. */
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
        List<Long> ids = api.walk("/api/v4/leads?limit=250&filter[updated_at][from]=" + lead.updatedAt(), "leads").ids();
        assertEquals(inclusive, ids.contains(lead.id()));
        long t = sandbox.groundTruth().events().get(100).createdAt();
        Set<Long> atT = new HashSet<>();
        api.walk("/api/v4/events?filter[created_at][from]=" + t, "events").items()
                .forEach(e -> atT.add(e.get("created_at").asLong()));
        assertEquals(inclusive, atT.contains(t), "events follow the same reading");
    }

    @ParameterizedTest(name = "toInclusive={0}")
    @ValueSource(booleans = {true, false})
    void toBoundInclusivity(boolean inclusive) {
        sandbox.fidelity().toInclusive = inclusive;
        Lead lead = someLead();
        List<Long> ids = api.walk("/api/v4/leads?limit=250&filter[updated_at][to]=" + lead.updatedAt(), "leads").ids();
        assertEquals(inclusive, ids.contains(lead.id()));
    }

    @ParameterizedTest(name = "eventsPageMax={0}")
    @ValueSource(ints = {100, 250})
    void eventsPageSize(int max) {
        sandbox.fidelity().eventsPageMax = max;
        assertEquals(max, api.get("/api/v4/events?limit=250").json().at("/_embedded/events").size());
    }

    @ParameterizedTest(name = "apiFilters={0}")
    @ValueSource(booleans = {true, false})
    void filtersFollowTheAccountFlag(boolean enabled) {
        sandbox.fidelity().apiFilters(enabled);
        assertEquals(enabled, api.get("/api/v4/account").json().get("is_api_filter_enabled").asBoolean());
        Lead lead = someLead();
        List<Long> ids = api.walk("/api/v4/leads?limit=250&filter[id][]=" + lead.id(), "leads").ids();
        assertEquals(enabled ? 1 : 150, ids.size());
    }

    /** An account that reports filters on but ignores them: the client's page check must catch it. */
    @Test
    void filtersIgnoredWhileTheFlagSaysOn() {
        sandbox.fidelity().honourFilters = false;
        assertTrue(api.get("/api/v4/account").json().get("is_api_filter_enabled").asBoolean());
        assertEquals(150, api.walk("/api/v4/leads?limit=250&filter[id][]=" + someLead().id(), "leads").ids().size());
    }

    @ParameterizedTest(name = "linkBumpsUpdatedAt={0}")
    @ValueSource(booleans = {true, false})
    void linkMovesUpdatedAtOnlyWhenSwitchedOn(boolean bumps) {
        sandbox.fidelity().linkBumpsUpdatedAt = bumps;
        Lead lead = someLead();
        long contact = sandbox.groundTruth().contacts().live().get(99).id();
        sandbox.clock().advance(Duration.ofHours(1));
        sandbox.account().link(lead.id(), contact, false);
        long updated = api.get("/api/v4/leads/" + lead.id()).json().get("updated_at").asLong();
        assertEquals(bumps, updated != lead.updatedAt());
        assertEquals(bumps, api.get("/api/v4/contacts/" + contact).json().get("updated_at").asLong()
                == sandbox.clock().nowSeconds());
    }

    @ParameterizedTest(name = "mergeBumpsUpdatedAt={0}")
    @ValueSource(booleans = {true, false})
    void mergeMovesUpdatedAtOnlyWhenSwitchedOn(boolean bumps) {
        sandbox.fidelity().mergeBumpsUpdatedAt = bumps;
        var contacts = sandbox.groundTruth().contacts().live();
        long survivor = contacts.get(10).id();
        long loser = contacts.stream().filter(c -> c.id() != survivor && !sandbox.account().contactLeads(c.id()).isEmpty())
                .findFirst().orElseThrow().id();
        long relinked = sandbox.account().contactLeads(loser).get(0);
        long leadBefore = api.get("/api/v4/leads/" + relinked).json().get("updated_at").asLong();
        long survivorBefore = contacts.get(10).updatedAt();
        sandbox.clock().advance(Duration.ofHours(1));
        sandbox.account().mergeContacts(survivor, loser);
        assertEquals(bumps, api.get("/api/v4/contacts/" + survivor).json().get("updated_at").asLong() != survivorBefore);
        assertEquals(bumps, api.get("/api/v4/leads/" + relinked).json().get("updated_at").asLong() != leadBefore);
    }

    @ParameterizedTest(name = "restoreBumpsUpdatedAt={0}")
    @ValueSource(booleans = {true, false})
    void restoreMovesUpdatedAtOnlyWhenSwitchedOn(boolean bumps) {
        sandbox.fidelity().restoreBumpsUpdatedAt = bumps;
        Lead lead = someLead();
        sandbox.account().delete("leads", lead.id());
        sandbox.clock().advance(Duration.ofHours(1));
        sandbox.account().restore("leads", lead.id());
        assertEquals(bumps, api.get("/api/v4/leads/" + lead.id()).json().get("updated_at").asLong() != lead.updatedAt());
    }

    /** 1,000 updates stamped with the same second are all there for a reader of that second. */
    @Test
    void thousandUpdatesInOneSecond() {
        sandbox.account().addLead("filler", 1);
        try (Sandbox big = Sandbox.start(SandboxSettings.defaults().withSeed(65).withLeads(1200))) {
            big.limits().enabled = false;
            ApiWalker b = new ApiWalker(big.baseUrl(), big.settings().token());
            big.clock().advance(Duration.ofMinutes(10));
            List<Long> ids = big.account().bulkUpdateSameSecond(1000);
            long second = big.clock().nowSeconds();
            ApiWalker.Walk walk = b.walk("/api/v4/leads?limit=250&order[updated_at]=asc&filter[updated_at][from]=" + (second - 1), "leads");
            assertEquals(new HashSet<>(ids), new HashSet<>(walk.ids()));
            assertEquals(1000, walk.ids().size());
            assertEquals(1, walk.items().stream().map(i -> i.get("updated_at").asLong()).distinct().count(), "one second");
            assertEquals(4, walk.requests());
        }
    }

    @ParameterizedTest(name = "eventsCreatedAt={0}")
    @EnumSource(Fidelity.CreatedAtForm.class)
    void eventsCreatedAtForms(Fidelity.CreatedAtForm form) {
        sandbox.fidelity().eventsCreatedAt = form;
        List<Event> events = sandbox.groundTruth().events();
        long from = events.get(200).createdAt();
        long to = events.get(260).createdAt();
        long inRange = events.stream().filter(e -> e.createdAt() >= from && e.createdAt() <= to).count();
        int rangeCount = api.walk("/api/v4/events?filter[created_at][from]=" + from + "&filter[created_at][to]=" + to, "events").items().size();
        int commaCount = api.walk("/api/v4/events?filter[created_at]=" + from + "," + to, "events").items().size();
        assertEquals(form == Fidelity.CreatedAtForm.COMMA ? events.size() : inRange, rangeCount, "range form");
        assertEquals(form == Fidelity.CreatedAtForm.RANGE ? events.size() : inRange, commaCount, "comma form");
        assertFalse(inRange == events.size());
    }
}
