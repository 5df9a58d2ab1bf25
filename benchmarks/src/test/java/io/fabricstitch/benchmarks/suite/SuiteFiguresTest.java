package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.benchmarks.Percentiles;
import io.fabricstitch.benchmarks.Figure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.benchmarks.DataPathBenchmark;
import io.fabricstitch.benchmarks.TlsEngineCost;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuiteFiguresTest {
    @Test
    void fabricStitchIsJudgedAgainstTheBoundAndRoundRobinAgainstFabricStitch() {
        List<Figure> rows = SuiteFigures.placement(1000, 1000, 100, List.of(result(Policy.FABRIC_STITCH, 1150),
            result(Policy.ROUND_ROBIN, 1800), result(Policy.ADAPTIVE, 900)));
        assertEquals(4, rows.size());
        assertEquals(Figure.Verdict.CONTEXT, rows.get(0).verdict());
        assertEquals(Figure.Verdict.MET, rows.get(1).verdict()); // 1.15 <= 1.2
        assertEquals(Figure.Verdict.MET, rows.get(2).verdict()); // 1800 / 1150 = 1.57 >= 1.5
        assertEquals(Figure.Verdict.CONTEXT, rows.get(3).verdict());
    }

    @Test
    void roundRobinLessThanOneAndAHalfTimesSlowerIsNotMet() {
        List<Figure> rows = SuiteFigures.placement(1000, 1000, 100, List.of(result(Policy.FABRIC_STITCH, 1300),
            result(Policy.ROUND_ROBIN, 1900)));
        assertEquals(Figure.Verdict.NOT_MET, rows.get(1).verdict()); // 1.3 > 1.2
        assertEquals(Figure.Verdict.NOT_MET, rows.get(2).verdict()); // 1900 / 1300 = 1.46
        assertTrue(rows.get(2).measured().contains("Fabric Stitch 1.46× shorter makespan"), rows.get(2).measured());
    }

    @Test
    void dataPathRowsJudgeDirectAgainstIperf3AndSocketPlusFile_andTlsAgainstDirect() {
        // iperf3 2000, socket 2500, socket + file 1000, DIRECT 1600 (0.80x, 1.60x), TLS 1100 (0.69x DIRECT);
        // DIRECT 1.0 CPU s/GiB, the TLS engine 0.25 more in cache (0.5 out of cache): at most 1.0 / 1.25 = 0.80x
        // DIRECT (1.0 / 1.5 = 0.67x).
        List<Figure> rows = SuiteFigures.dataPath(new DataPathBenchmark.Figures(2000, 2500, 1000, 1600, 1100,
            "/dev/shm (tmpfs)", "EPOLL", 1.0, new TlsEngineCost.Cost(0.25, 0.5)), 512);
        assertEquals(Figure.Verdict.MET, rows.get(0).verdict());
        assertTrue(rows.get(0).measured().startsWith("1600 MiB/s = 0.80× iperf3 (2000 MiB/s), 1.60× socket + file"),
            rows.get(0).measured());
        assertTrue(rows.get(0).what().contains("staging in /dev/shm (tmpfs), EPOLL"), rows.get(0).what());
        assertEquals(Figure.Verdict.NOT_MET, rows.get(1).verdict());
        assertEquals("1100 MiB/s = 0.69× DIRECT; TLS alone 0.25 CPU s/GiB (0.50 with its output out of cache) "
            + "against DIRECT's 1.00: at most 0.80× DIRECT with both ends CPU-bound on this machine (0.67× with its "
            + "output out of cache)", rows.get(1).measured());
    }

    @Test
    void dataPathWithoutIperf3_isJudgedAgainstSocketPlusFileAlone_andSaysSo() {
        List<Figure> rows = SuiteFigures.dataPath(new DataPathBenchmark.Figures(Double.NaN, 2500, 1000, 890, 700,
            "/tmp (ext4)", "NIO", 1.2, new TlsEngineCost.Cost(0.3, 0.4)), 512);
        assertEquals(Figure.Verdict.NOT_MET, rows.get(0).verdict()); // 0.89 < 0.9
        assertTrue(rows.get(0).measured().contains("iperf3 not run (not on the PATH; apt-get install iperf3)"),
            rows.get(0).measured());
        assertEquals(Figure.Verdict.MET, rows.get(1).verdict()); // 700 / 890 = 0.79
    }

    @Test
    void routingOverheadIsJudgedByTheMedianOfTheRoutedCall() {
        RoutingOverhead.Result r = new RoutingOverhead.Result(Percentiles.of(2, 2, 2), Percentiles.of(1, 1, 1),
            Percentiles.of(1.1, 1.1, 9), Percentiles.of(1, 1, 1), 3);
        List<Figure> rows = SuiteFigures.overhead(r, 3);
        assertEquals(Figure.Verdict.MET, rows.get(0).verdict()); // SPI: 1.1 <= 1.15, whatever its p99
        assertEquals(Figure.Verdict.CONTEXT, rows.get(1).verdict()); // FabricCompute: 2.0, shown for reference
        assertTrue(rows.get(1).measured().contains("= 2.00× plain"), rows.get(1).measured());
    }

    @Test
    void routedCallOverTheAimIsNotMet() {
        RoutingOverhead.Result r = new RoutingOverhead.Result(Percentiles.of(1, 1, 1), Percentiles.of(1, 1, 1),
            Percentiles.of(1.2, 1.2, 1.2), Percentiles.of(1, 1, 1), 3);
        assertEquals(Figure.Verdict.NOT_MET, SuiteFigures.overhead(r, 3).get(0).verdict());
    }

    @Test
    void selectionAtTenThousandFabricsIsJudgedByItsSlowestClass() {
        List<Figure> rows = SuiteFigures.selection(List.of(new SelectionScaling.Case(100, "balanced", 1e7, 0),
            new SelectionScaling.Case(10_000, "latency-critical", 1e6, 0),
            new SelectionScaling.Case(10_000, "batch", 99_000, 0)));
        assertEquals(2, rows.size());
        assertEquals(Figure.Verdict.CONTEXT, rows.get(0).verdict());
        assertEquals(Figure.Verdict.NOT_MET, rows.get(1).verdict());
    }

    private static PlacementResult result(Policy p, double makespan) {
        return new PlacementResult(p, makespan, Percentiles.of(makespan / 2, makespan), Map.of(), Map.of());
    }
}
