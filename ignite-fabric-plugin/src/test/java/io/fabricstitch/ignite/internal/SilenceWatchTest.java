package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The orchestrator's judgement of silent agents, on the orchestrator's own clock (injected here). */
class SilenceWatchTest {
    private static final long S = 1_000_000_000L;
    private static final UUID N1 = new UUID(1, 1);
    private static final UUID N2 = new UUID(1, 2);

    private static FabricRow row(int n, UUID node, long reportedAtMillis, FabricStatus status) {
        FabricEntry e = FabricEntry.builder().fabricId(new UUID(0, n)).nodeId(node).agentAddress("127.0.0.1:0")
            .site("default").fabricType(FabricType.GPU).model("GPU " + n).resourceUnit("MiB").resourceCount(1024)
            .resourceFree(1024).status(status).statusReason(status == FabricStatus.ONLINE ? "" : "x")
            .updatedAt(Instant.EPOCH).build();
        return FabricRow.of(e, "n" + node.getLeastSignificantBits()).withUpdatedAt(new Timestamp(reportedAtMillis));
    }

    private static SilenceWatch watch() {
        return new SilenceWatch(3_000, 10_000, node -> 1_000L);
    }

    private static Set<String> marks(List<SilenceWatch.Mark> marks) {
        return marks.stream().map(m -> m.fabricId.getLeastSignificantBits() + " " + m.status)
            .collect(Collectors.toSet());
    }

    @Test
    void silentAgent_turnsDegradedAfterThreeSeconds_thenOfflineAfterTen_whileTheOtherKeepsReporting() {
        SilenceWatch w = watch();
        w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE), row(2, N2, 1_000, FabricStatus.ONLINE)), n -> true, 0);
        List<SilenceWatch.Mark> at3 = w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE),
            row(2, N2, 4_000, FabricStatus.ONLINE)), n -> true, 3 * S);
        assertEquals(Set.of("1 DEGRADED"), marks(at3));
        assertEquals("agent of node n1 silent for 3.0 s (expected: a report every 1000 ms)", at3.get(0).reason);
        assertEquals(1_000, at3.get(0).reportedAtMillis, "marked only if no report came since");
        assertEquals(Set.of(), marks(w.check(List.of(row(1, N1, 1_000, FabricStatus.DEGRADED),
            row(2, N2, 8_000, FabricStatus.ONLINE)), n -> true, 7 * S)), "already DEGRADED, not yet 10 s");
        assertEquals(Set.of("1 OFFLINE"), marks(w.check(List.of(row(1, N1, 1_000, FabricStatus.DEGRADED),
            row(2, N2, 11_000, FabricStatus.ONLINE)), n -> true, 10 * S)));
    }

    @Test
    void aNewReport_startsTheSilenceOver() {
        SilenceWatch w = watch();
        w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE), row(2, N2, 1_000, FabricStatus.ONLINE)), n -> true, 0);
        assertEquals(Set.of(), marks(w.check(List.of(row(1, N1, 3_500, FabricStatus.ONLINE),
            row(2, N2, 3_500, FabricStatus.ONLINE)), n -> true, 2_900_000_000L)));
        assertEquals(Set.of(), marks(w.check(List.of(row(1, N1, 3_500, FabricStatus.ONLINE),
            row(2, N2, 5_000, FabricStatus.ONLINE)), n -> true, 4 * S)), "silent since 2.9 s only");
    }

    @Test
    void everyAgentSilentAtOnce_isAStallHere_andMarksNothing() {
        SilenceWatch w = watch();
        w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE), row(2, N2, 1_000, FabricStatus.ONLINE)), n -> true, 0);
        assertEquals(Set.of(), marks(w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE),
            row(2, N2, 1_000, FabricStatus.ONLINE)), n -> true, 20 * S)));
        assertTrue(w.allSilentLogged());
    }

    @Test
    void anAgentWithALongerInterval_getsLimitsInItsOwnIntervals() {
        SilenceWatch w = new SilenceWatch(3_000, 10_000, node -> node.equals(N1) ? 5_000L : 1_000L);
        w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE), row(2, N2, 1_000, FabricStatus.ONLINE)), n -> true, 0);
        assertEquals(Set.of(), marks(w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE),
            row(2, N2, 9_000, FabricStatus.ONLINE)), n -> true, 8 * S)), "3 x 5 s = 15 s for n1");
        List<SilenceWatch.Mark> at15 = w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE),
            row(2, N2, 16_000, FabricStatus.ONLINE)), n -> true, 15 * S);
        assertEquals(Set.of("1 DEGRADED"), marks(at15));
        assertTrue(at15.get(0).reason.endsWith("(expected: a report every 5000 ms)"), at15.get(0).reason);
    }

    @Test
    void departedNodes_areLeftToTheMembershipWatcher() {
        SilenceWatch w = watch();
        w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE), row(2, N2, 1_000, FabricStatus.ONLINE)), n -> true, 0);
        assertEquals(Set.of(), marks(w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE),
            row(2, N2, 30_000, FabricStatus.ONLINE)), n -> !n.equals(N1), 20 * S)));
    }

    @Test
    void aMovingHeartbeat_keepsAnAgentAlive_whoseRowsAreNotRewritten() {
        SilenceWatch w = watch();
        java.util.Map<UUID, Long> beats = new java.util.HashMap<>(java.util.Map.of(N1, 1_000L, N2, 1_000L));
        List<FabricRow> rows = List.of(row(1, N1, 500, FabricStatus.ONLINE), row(2, N2, 500, FabricStatus.ONLINE));
        w.check(rows, n -> true, beats::get, 0);
        beats.put(N2, 13_000L); // N2's agent beats on, N1's went quiet; neither rewrites its row
        assertEquals(Set.of("1 DEGRADED"), marks(w.check(rows, n -> true, beats::get, 3 * S)));
        beats.put(N2, 20_000L);
        List<SilenceWatch.Mark> at10 = w.check(List.of(row(1, N1, 500, FabricStatus.DEGRADED),
            row(2, N2, 500, FabricStatus.ONLINE)), n -> true, beats::get, 10 * S);
        assertEquals(Set.of("1 OFFLINE"), marks(at10));
        assertEquals(500, at10.get(0).reportedAtMillis, "marked only if the row was not rewritten since");
        beats.put(N1, 14_000L);
        beats.put(N2, 22_000L);
        assertEquals(Set.of(), marks(w.check(List.of(row(1, N1, 500, FabricStatus.OFFLINE),
            row(2, N2, 500, FabricStatus.ONLINE)), n -> true, beats::get, 12 * S)), "N1's agent is back");
    }

    @Test
    void aRestart_aPartitionExchange_givesEveryAgentTheFullDelayAgain() {
        SilenceWatch w = watch();
        w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE), row(2, N2, 1_000, FabricStatus.ONLINE)), n -> true, 0);
        w.restart(2 * S); // the caches stalled: 2 s of N1's silence do not count
        assertEquals(Set.of(), marks(w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE),
            row(2, N2, 4_000, FabricStatus.ONLINE)), n -> true, 4 * S)), "2 s of silence since the restart");
        assertEquals(Set.of("1 DEGRADED"), marks(w.check(List.of(row(1, N1, 1_000, FabricStatus.ONLINE),
            row(2, N2, 5_000, FabricStatus.ONLINE)), n -> true, 5 * S)), "3 s since the restart");
    }
}
