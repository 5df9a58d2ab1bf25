package io.fabricstitch.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FabricSummaryTest {
    private static FabricEntry entry(FabricType type, FabricStatus status) {
        return FabricEntry.builder().fabricId(UUID.randomUUID()).nodeId(UUID.randomUUID()).agentAddress("h:1")
            .site("s").fabricType(type).model("m").resourceUnit("units").resourceCount(1).status(status)
            .statusReason(status == FabricStatus.ONLINE ? null : "hot").updatedAt(Instant.EPOCH).build();
    }

    @Test
    void groupsEntriesByTypeAndStatus_sortedByTypeThenStatus() {
        List<FabricSummary> s = FabricSummary.of(List.of(entry(FabricType.CPU, FabricStatus.ONLINE),
            entry(FabricType.GPU, FabricStatus.DEGRADED), entry(FabricType.GPU, FabricStatus.ONLINE),
            entry(FabricType.GPU, FabricStatus.ONLINE)));
        assertEquals("[GPU x2 ONLINE, GPU x1 DEGRADED, CPU x1 ONLINE]", s.toString());
        assertEquals(FabricSummary.of(FabricType.GPU, FabricStatus.ONLINE, 2), s.get(0));
        assertEquals(List.of(), FabricSummary.of(List.of()));
    }

    @Test
    void rejectsACountOutsideTheWireRange() {
        assertEquals("count: 0 (expected: 1..65535)", assertThrows(IllegalArgumentException.class,
            () -> FabricSummary.of(FabricType.GPU, FabricStatus.ONLINE, 0)).getMessage());
    }

    @Test
    void sortsAnAnnouncementsSummaries_andShowsNoneWhenEmpty() {
        List<FabricSummary> reversed = new ArrayList<>(NetFixtures.FABRICS);
        Collections.reverse(reversed);
        Announcement a = Announcement.of(UUID.randomUUID(), "n1", "site-a", "127.0.0.1:0", reversed);
        assertEquals(NetFixtures.FABRICS, a.fabrics());
        Peer p = new Peer(Announcement.of(UUID.randomUUID(), "n2", "s", "h:1", List.of()),
            new InetSocketAddress("127.0.0.1", 1), true, Instant.EPOCH, Instant.EPOCH);
        assertEquals("none", p.fabricsText());
    }

    @Test
    void rejectsAnnouncementFieldsTooLongForTheWire() {
        UUID id = UUID.randomUUID();
        assertEquals("agentName: 257 UTF-8 bytes (expected: at most 256)", assertThrows(IllegalArgumentException.class,
            () -> Announcement.of(id, "n".repeat(257), "s", "h:1", List.of())).getMessage());
        assertEquals("site: 130 UTF-8 bytes (expected: at most 128)", assertThrows(IllegalArgumentException.class,
            () -> Announcement.of(id, "n", "\u00e9".repeat(65), "h:1", List.of())).getMessage());
        assertEquals("dataPathAddress: 'h' (expected: host:port with port 0..65535)",
            assertThrows(IllegalArgumentException.class, () -> Announcement.of(id, "n", "s", "h", List.of()))
                .getMessage());
        List<FabricSummary> many = Collections.nCopies(33, FabricSummary.of(FabricType.CPU, FabricStatus.ONLINE, 1));
        assertEquals("fabrics: 33 summaries (expected: at most 32)", assertThrows(IllegalArgumentException.class,
            () -> Announcement.of(id, "n", "s", "h:1", many)).getMessage());
    }
}
