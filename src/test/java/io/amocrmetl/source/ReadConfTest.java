package io.amocrmetl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amocrmetl.core.EtlException;
import io.amocrmetl.core.ExitCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The read options resolved once: typed values, any case, and errors that name the option. */
class ReadConfTest {

    static ReadConf conf(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return ReadConf.of(m);
    }

    static EtlException rejected(String... kv) {
        EtlException e = assertThrows(EtlException.class, () -> conf(kv));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        return e;
    }

    @Test
    void absentOptionsLeaveEverythingToThePlannerAndTheConfiguration() {
        ReadConf c = conf("entity", "leads");
        assertEquals("leads", c.spec().name());
        assertNull(c.configFile());
        assertTrue(c.configKeys().isEmpty());
        assertNull(c.from());
        assertNull(c.to());
        assertEquals(List.of(), c.ids());
        assertEquals(List.of(), c.entityTypes());
        assertEquals(Duration.ofDays(3), c.window(Duration.ofDays(3)), "no window option: the configuration's");
        assertNull(c.partitions());
        assertNull(c.accountId());
        assertNull(c.apiFilters());
        assertNull(c.customersMode());
        assertNull(c.catalogs(), "no hint: the planner asks the account for its lists");
        assertNull(c.fromInclusive());
        assertNull(c.toInclusive());
        assertFalse(c.readerPid());
        assertNull(c.eventsPageSize());
        assertEquals(c.spec().schema(), c.schema());
    }

    @Test
    void valuesAreTypedAndNamesCaseInsensitive() {
        ReadConf c = conf(
                "Entity",
                " notes ",
                "CONFIG",
                "conf/my.conf",
                "Amocrm.Base-Url",
                "http://x",
                "from",
                "2025-01-01",
                "TO",
                "2025-01-01T00:00:10Z",
                "ids",
                "3, 1,,2",
                "Entity_Types",
                "leads,contacts",
                "window",
                "6h",
                "partitions",
                "4",
                "account_id",
                "29000042",
                "api_filters",
                "FALSE",
                "customers_mode",
                "disabled",
                "catalogs",
                "",
                "from_inclusive",
                "true",
                "to_inclusive",
                "false",
                "reader_pid",
                "True",
                "events_page_size",
                "250");
        assertEquals("notes", c.spec().name());
        assertEquals(Path.of("conf/my.conf"), c.configFile());
        assertEquals(Map.of("amocrm.base-url", "http://x"), c.configKeys(), "dotted names are configuration keys");
        assertEquals(1735689600L, c.from(), "a date is UTC midnight");
        assertEquals(1735689610L, c.to());
        assertEquals(List.of("3", "1", "2"), c.ids());
        assertEquals(List.of("leads", "contacts"), c.entityTypes());
        assertEquals(Duration.ofHours(6), c.window(Duration.ofDays(1)));
        assertEquals(4, c.partitions());
        assertEquals(29000042L, c.accountId());
        assertEquals(false, c.apiFilters());
        assertEquals("disabled", c.customersMode());
        assertEquals(List.of(), c.catalogs(), "an empty hint: no lists, and no request for them");
        assertEquals(true, c.fromInclusive());
        assertEquals(false, c.toInclusive());
        assertTrue(c.readerPid());
        assertEquals(
                ReadOptions.PID_COLUMN,
                c.schema().fields()[c.schema().size() - 1].name());
        assertEquals(250, c.eventsPageSize());
        assertEquals(1735689600L, conf("entity", "leads", "from", "1735689600").from(), "epoch seconds");
        assertEquals(
                List.of(5001L, 5002L),
                conf("entity", "catalog_elements", "catalogs", "5001,5002").catalogs());
    }

    @Test
    void aMissingOrUnknownEntityIsRefused() {
        assertTrue(rejected().getMessage().contains("needs option(\"entity\""));
        assertTrue(rejected("entity", " ").getMessage().contains("needs option(\"entity\""));
        assertTrue(rejected("entity", "deals").getMessage().contains("unknown entity 'deals'"));
    }

    @Test
    void malformedValuesFailNamingTheOption() {
        assertEquals(
                "option 'from' must be epoch seconds, an ISO instant or a date (yyyy-mm-dd), got 'last tuesday'",
                rejected("entity", "leads", "from", "last tuesday").getMessage());
        assertTrue(rejected("entity", "leads", "to", "2025-13-01").getMessage().startsWith("option 'to' "));
        assertEquals(
                "option 'window' must be a duration such as 6h or 7d, got 'soon'",
                rejected("entity", "leads", "window", "soon").getMessage());
        assertEquals(
                "option 'window' must be at least 1s, got '10ms'",
                rejected("entity", "leads", "window", "10ms").getMessage());
        assertEquals(
                "option 'partitions' must be a whole number above 0, got '0'",
                rejected("entity", "leads", "partitions", "0").getMessage());
        assertTrue(
                rejected("entity", "leads", "partitions", "many").getMessage().startsWith("option 'partitions' "));
        assertTrue(rejected("entity", "events", "events_page_size", "-1")
                .getMessage()
                .startsWith("option 'events_page_size' "));
        assertTrue(
                rejected("entity", "leads", "account_id", "acme").getMessage().startsWith("option 'account_id' "));
        assertTrue(
                rejected("entity", "leads", "api_filters", "yes").getMessage().startsWith("option 'api_filters' "));
        assertTrue(rejected("entity", "leads", "reader_pid", "1").getMessage().startsWith("option 'reader_pid' "));
        assertTrue(rejected("entity", "catalog_elements", "catalogs", "5001,x")
                .getMessage()
                .startsWith("option 'catalogs' "));
        assertEquals(
                "options 'from'/'to' do not apply to users: it is reference data, read whole",
                rejected("entity", "users", "from", "100").getMessage());
    }

    @Test
    void aScansOptionsLayerOverTheTablesAndTheSameOptionsResolveNothingAgain() {
        ReadConf table = conf("entity", "leads", "from", "100");
        assertSame(
                table,
                table.with(Map.of("ENTITY", "leads", "From", "100")),
                "DataFrameReader hands the same map twice");
        ReadConf scan = table.with(Map.of("TO", "200"));
        assertEquals(100L, scan.from());
        assertEquals(200L, scan.to());
        assertNull(table.to(), "immutable: the table's own conf is unchanged");
    }

    @Test
    void pushdownStartsFromTheOptions() {
        Pushdown p =
                Pushdown.of(conf("entity", "notes", "from", "100", "to", "200", "ids", "1,2", "entity_types", "leads"));
        assertEquals(100L, p.from);
        assertEquals(200L, p.to);
        assertEquals(List.of("1", "2"), p.ids);
        assertEquals(Set.of("leads"), p.entityTypes);
        assertEquals(List.of("updated_at in [100, 200]", "id IN 2 ids", "entity_type IN [leads]"), p.described);
        Pushdown none = Pushdown.of(conf("entity", "leads"));
        assertNull(none.from);
        assertNull(none.ids);
        assertNull(none.entityTypes);
        assertTrue(none.described.isEmpty());
    }
}
