package io.amocrmetl.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease file on a local disk, and what it says about its holder (docs/lakehouse.md, "One writer per account"). */
class LeaseFileTest {
    @TempDir
    Path dir;

    @Test
    void createdOnlyIfAbsentAndMovedAsideByOneMover() {
        LeaseFile f = new LocalLeaseFile(dir.resolve("_leases/account_id=1.json"));
        LeaseHolder a = new LeaseHolder("run-a", "ingest", "h1", 10, Instant.parse("2026-01-01T00:00:00Z"));
        assertTrue(f.create(a.toJson()));
        assertFalse(f.create(new LeaseHolder("run-b", "ingest", "h2", 11, Instant.now()).toJson()));
        assertEquals(a, f.read(f.name()).map(LeaseHolder::parse).orElseThrow());
        assertTrue(f.modified().isPresent());
        assertTrue(f.moveAside("x"));
        assertFalse(f.moveAside("y"), "the second mover finds it gone");
        assertEquals(Optional.empty(), f.modified());
        f.moveBack("x");
        assertEquals(a, f.read(f.name()).map(LeaseHolder::parse).orElseThrow());
        f.delete(f.name());
        assertEquals(Optional.empty(), f.read(f.name()));
    }

    @Test
    void anUnreadableLeaseNamesAnUnknownHolder() {
        assertEquals(LeaseHolder.UNKNOWN, LeaseHolder.parse(""));
        assertEquals(LeaseHolder.UNKNOWN, LeaseHolder.parse("{\"run_id\":"));
        assertEquals(
                "ingest run 1a2b3c4d on host h (pid 42) since 2026-01-01T00:00:00Z",
                new LeaseHolder("1a2b3c4d-e5f6", "ingest", "h", 42, Instant.parse("2026-01-01T00:00:00Z")).describe());
    }
}
