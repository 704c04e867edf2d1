package io.amocrmetl.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bracket form of docs/amocrm-api.md §6.2 into signals: what amoCRM sends, and what is refused. */
class DeliveryParsingTest {
    static DeliveryReader.Delivery parse(byte[] body) throws Refusal {
        Map<String, Object> tree = BracketForm.tree(FormDecoder.decode(body, 20_000, 256), 6);
        return DeliveryReader.read(tree, Forms.ACCOUNT);
    }

    static int refusal(byte[] body) {
        return assertThrows(Refusal.class, () -> parse(body)).status;
    }

    @Test
    void deletesAndRestoresOfEveryEntityWithCompaniesUnderContacts() throws Refusal {
        byte[] body = Forms.delivery()
                .leadDelete(0, 5_000_000_001L)
                .leadDelete(1, 7)
                .field("contacts[delete][0][id]", "11")
                .field("contacts[delete][0][type]", "contact")
                .field("contacts[delete][1][id]", "12")
                .field("contacts[delete][1][type]", "company")
                .field("contacts[restore][0][id]", "13")
                .field("contacts[restore][0][type]", "company")
                .field("task[delete][0][id]", "21")
                .field("leads[restore][0][id]", "8")
                .account()
                .bytes();
        DeliveryReader.Delivery d = parse(body);
        assertEquals(Forms.ACCOUNT.id(), d.accountId());
        assertEquals(
                List.of(
                        new WebhookSignal("leads", "7", "delete", null),
                        new WebhookSignal("leads", "5000000001", "delete", null),
                        new WebhookSignal("leads", "8", "restore", null),
                        new WebhookSignal("contacts", "11", "delete", null),
                        new WebhookSignal("companies", "12", "delete", null),
                        new WebhookSignal("companies", "13", "restore", null),
                        new WebhookSignal("tasks", "21", "delete", null)),
                d.signals().stream()
                        .sorted(java.util.Comparator.comparing((WebhookSignal s) -> order(s.entity()))
                                .thenComparing(WebhookSignal::action)
                                .thenComparing(s -> Long.parseLong(s.key())))
                        .toList());
    }

    private static int order(String entity) {
        return List.of("leads", "contacts", "companies", "tasks", "unsorted").indexOf(entity);
    }

    /** Accepting or declining unsorted arrives as an unsorted delete; the outcome is kept (docs/amocrm-api.md §6.2). */
    @Test
    void unsortedAcceptAndDeclineKeepTheirOutcome() throws Refusal {
        String u = "unsorted[delete][0]";
        byte[] body = Forms.delivery()
                .field(u + "[action]", "accept")
                .field(u + "[uid]", "a1b2-c3")
                .field(u + "[category]", "forms")
                .field(u + "[pipeline_id]", "3001")
                .field(u + "[accept_result][contacts][0]", "991")
                .account()
                .bytes();
        assertEquals(
                List.of(new WebhookSignal("unsorted", "a1b2-c3", "delete", "accept")),
                parse(body).signals());
        String v = "unsorted[delete][0]";
        byte[] declined = Forms.delivery()
                .field(v + "[action]", "decline")
                .field(v + "[uid]", "zz9")
                .account()
                .bytes();
        assertEquals("decline", parse(declined).signals().get(0).outcome());
    }

    /** PHP's own output: brackets percent-encoded, spaces as '+', key order free, account first or last. */
    @Test
    void phpEncodingAndFieldOrderDoNotMatter() throws Refusal {
        String body = "account%5Bid%5D=31000001&account%5Bsubdomain%5D=TestAcc&leads%5Bdelete%5D%5B0%5D%5Bid%5D=42"
                + "&leads%5Bdelete%5D%5B0%5D%5Bname%5D=a+b%20c";
        assertEquals(
                List.of(new WebhookSignal("leads", "42", "delete", null)),
                parse(body.getBytes(StandardCharsets.US_ASCII)).signals());
    }

    @Test
    void bracketPathsAreStrict() throws Refusal {
        assertEquals(List.of("a", "b", "0", ""), BracketForm.path("a[b][0][]", 1));
        for (String bad : List.of("[a]", "a]", "a[b", "a[b]c", "a[b[c]]", "a[b]]", "a][")) {
            assertEquals(400, assertThrows(Refusal.class, () -> BracketForm.path(bad, 1)).status, bad);
        }
    }

    /** Only a delivery that is not from the account is refused (403); a form that does not parse is 400. */
    @Test
    void refusalsNameTheProblemWithStatus() {
        assertEquals(
                403,
                refusal(Forms.delivery()
                        .leadDelete(0, 1)
                        .account(31_000_002L, "testacc")
                        .bytes()));
        assertEquals(403, refusal(Forms.delivery().leadDelete(0, 1).bytes()));
        assertEquals(403, refusal("leads%5Bdelete%5D%5B0%5D%5Bid%5D=1&account=x".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(400, refusal("leads%5Bdelete%5D%5B0%5D%5Bid%5D=1&a=%G1".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(400, refusal("a=%4".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(400, refusal("a=%FF%FE".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(400, refusal(new byte[] {'a', '=', (byte) 0xD0, (byte) 0x9F}));
        assertEquals(400, refusal("a=1&a=2".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(400, refusal("a=1&a[b]=2".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(400, refusal("=1".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(400, refusal("a[b][c][d][e][f][g]=1".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(400, refusal(("k".repeat(300) + "=1").getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The account's own deliveries are never refused for what they hold (amoCRM turns a webhook off
     * after 100 failures in two hours): a renamed subdomain, an entity or action not subscribed, an
     * item this version cannot read are each one drift note; the readable signals beside them count.
     */
    @Test
    void oddPartsOfTheAccountsDeliveriesAreDriftNotRefusals() throws Refusal {
        Map<String, Integer> driftOf = new java.util.LinkedHashMap<>();
        driftOf.put("leads[update][0][id]=1", 1);
        driftOf.put("catalogs[delete][0][id]=1", 1);
        driftOf.put("leads[delete][1][id]=12a", 1);
        driftOf.put("leads[delete][1][id]=-5", 1);
        driftOf.put("leads[delete][1][id]=0", 1);
        driftOf.put("leads[delete][1][id]=99999999999999999999", 1);
        driftOf.put("leads[delete][x][id]=1", 1);
        driftOf.put("contacts[delete][0][id]=1", 1);
        driftOf.put("unsorted[delete][0][uid]=u&unsorted[delete][0][action]=maybe", 1);
        driftOf.put("unsorted[delete][0][uid]=../x y&unsorted[delete][0][action]=accept", 1);
        for (Map.Entry<String, Integer> c : driftOf.entrySet()) {
            Forms f = Forms.delivery().leadDelete(0, 7);
            for (String pair : c.getKey().split("&")) {
                f = f.field(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            DeliveryReader.Delivery d = parse(f.account().bytes());
            assertEquals(c.getValue(), d.drift().size(), c.getKey() + ": " + d.drift());
            assertEquals(List.of(new WebhookSignal("leads", "7", "delete", null)), d.signals(), c.getKey());
        }
        DeliveryReader.Delivery renamed = parse(Forms.delivery()
                .leadDelete(0, 7)
                .account(Forms.ACCOUNT.id(), "renamed")
                .bytes());
        assertEquals(1, renamed.drift().size(), renamed.drift().toString());
        assertTrue(
                renamed.drift().get(0).startsWith("subdomain renamed"),
                renamed.drift().toString());
        assertEquals(1, renamed.signals().size());
        DeliveryReader.Delivery notAGroup =
                parse(Forms.delivery().field("leads[delete]", "1").account().bytes());
        assertEquals(List.of(), notAGroup.signals());
        assertEquals(1, notAGroup.drift().size(), notAGroup.drift().toString());
        DeliveryReader.Delivery bare = parse(Forms.delivery().account().bytes());
        assertEquals(List.of(), bare.signals());
        assertEquals(List.of(), bare.drift());
    }

    @Test
    void fieldCountIsCapped() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            b.append("&f").append(i).append("=1");
        }
        Refusal r = assertThrows(
                Refusal.class, () -> FormDecoder.decode(b.substring(1).getBytes(StandardCharsets.US_ASCII), 20, 256));
        assertEquals(400, r.status);
        assertTrue(r.getMessage().contains("more than 20"), r.getMessage());
    }

    @Test
    void aKeyWithoutValueIsAnEmptyValueAndEmptyPairsAreSkipped() throws Refusal {
        assertEquals(
                List.of(new FormDecoder.Field("a", ""), new FormDecoder.Field("b", "x y")),
                FormDecoder.decode("a&&b=x+y&".getBytes(StandardCharsets.US_ASCII), 10, 10));
    }
}
