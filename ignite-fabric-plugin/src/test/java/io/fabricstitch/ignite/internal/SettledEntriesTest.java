package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What schedulers see of the map: changes only once they have stood, except what is safe to take at once. */
class SettledEntriesTest {
    static final UUID NODE = UUID.randomUUID();
    static final UUID ANNOUNCED = UUID.randomUUID();
    static final long GRACE = TimeUnit.MILLISECONDS.toNanos(SettledEntries.GRACE_MS);

    final SettledEntries settled = new SettledEntries((node, fabric) -> NODE.equals(node) && ANNOUNCED.equals(fabric));

    static FabricEntry fabric(UUID id, long count, FabricStatus status) {
        return FabricEntry.builder().fabricId(id).nodeId(NODE).agentAddress("127.0.0.1:0").site("default")
            .fabricType(FabricType.ASIC).model("Test ASIC").resourceUnit("lanes").resourceCount(count)
            .resourceFree(count).functions(Map.of()).status(status)
            .statusReason(status == FabricStatus.ONLINE ? "" : "test").updatedAt(Instant.EPOCH).build();
    }

    static long countOf(List<FabricEntry> seen, UUID id) {
        return seen.stream().filter(e -> e.getFabricId().equals(id)).mapToLong(FabricEntry::getResourceCount)
            .findFirst().orElse(-1);
    }

    @Test
    void anAnnouncedFabricCountsAtOnce_anUnannouncedOneOnlyOnceItHasStood() {
        UUID stranger = UUID.randomUUID();
        List<FabricEntry> map = List.of(fabric(ANNOUNCED, 4, FabricStatus.ONLINE), fabric(stranger, 4,
            FabricStatus.ONLINE));
        assertEquals(Set.of(ANNOUNCED), ids(settled.settle(map, 0)));
        assertTrue(settled.due(GRACE));
        assertEquals(Set.of(ANNOUNCED, stranger), ids(settled.settle(map, GRACE)));
        assertFalse(settled.due(2 * GRACE), "nothing is held back any more");
    }

    @Test
    void aChangedRowIsBelievedOnlyOnceItHasStood_butAWorseStatusAtOnce() {
        settled.settle(List.of(fabric(ANNOUNCED, 4, FabricStatus.ONLINE)), 0);
        assertEquals(4, countOf(settled.settle(List.of(fabric(ANNOUNCED, 1_000_000, FabricStatus.ONLINE)), 10), ANNOUNCED),
            "a client's bigger fabric is not believed yet");
        List<FabricEntry> worse = settled.settle(List.of(fabric(ANNOUNCED, 1_000_000, FabricStatus.OFFLINE)), 20);
        assertEquals(FabricStatus.OFFLINE, worse.get(0).getStatus(), "a worse status counts at once");
        assertEquals(4, worse.get(0).getResourceCount(), "the rest still waits");
        assertEquals(FabricStatus.OFFLINE, settled.settle(List.of(fabric(ANNOUNCED, 4, FabricStatus.OFFLINE)), 30).get(0)
            .getStatus(), "a plain demotion too");
        assertEquals(4, countOf(settled.settle(List.of(fabric(ANNOUNCED, 4, FabricStatus.ONLINE)), 40), ANNOUNCED));
    }

    @Test
    void aRowDeletedAndWrittenAgain_isComparedWithWhatItWas() {
        settled.settle(List.of(fabric(ANNOUNCED, 4, FabricStatus.ONLINE)), 0);
        assertEquals(-1, countOf(settled.settle(List.of(), 10), ANNOUNCED), "a deleted row is gone at once");
        assertEquals(4, countOf(settled.settle(List.of(fabric(ANNOUNCED, 1_000_000, FabricStatus.ONLINE)), 20),
            ANNOUNCED), "written again with other values: held, though its node announced it");
        assertEquals(4, countOf(settled.settle(List.of(fabric(ANNOUNCED, 4, FabricStatus.ONLINE)), 30), ANNOUNCED),
            "put back by its agent: as before");
    }

    static Set<UUID> ids(List<FabricEntry> entries) {
        return entries.stream().map(FabricEntry::getFabricId).collect(java.util.stream.Collectors.toSet());
    }
}
