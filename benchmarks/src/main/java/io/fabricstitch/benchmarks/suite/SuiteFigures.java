package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.benchmarks.Percentiles;
import io.fabricstitch.benchmarks.Figure;
import io.fabricstitch.benchmarks.AdaptiveBenchmark;
import io.fabricstitch.benchmarks.DataPathBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns each part's results into table rows, each figure next to the aim. */
public final class SuiteFigures {
    /** Makespan at most this times the lower bound. */
    static final double MAKESPAN_AIM = 1.2;
    /** Makespan at least this times better than round robin. */
    static final double ROUND_ROBIN_AIM = 1.5;
    /** Routed call at most this times the plain call. */
    static final double OVERHEAD_AIM = 1.15;
    /** Selections per second at 10 000 fabrics. */
    static final double SELECTION_AIM = 100_000;

    private SuiteFigures() {
    }

    /** Rows of the placement figure: the bound, then each policy ({@code results} holds Fabric Stitch). */
    public static List<Figure> placement(double lowerBoundMs, double workOverCapacityMs, double longestTaskMs,
        List<PlacementResult> results) {
        List<Figure> out = new ArrayList<>();
        out.add(Figure.context("Placement: lower bound, max(total work / total capacity, longest task on its best "
            + "fabric)", fmt("%.0f ms (%.0f ms; %.0f ms)", lowerBoundMs, workOverCapacityMs, longestTaskMs),
            "(reference)"));
        PlacementResult fs = find(results, Policy.FABRIC_STITCH);
        PlacementResult rr = find(results, Policy.ROUND_ROBIN);
        for (PlacementResult r : results) {
            String measured = fmt("makespan %.0f ms = %.2f× bound; p50 %.0f ms, p99 %.0f ms", r.makespanMs(),
                r.makespanMs() / lowerBoundMs, r.latency().at(50), r.latency().at(99));
            if (r.policy() == Policy.FABRIC_STITCH) {
                out.add(Figure.judged("Placement: " + r.policy().label(), measured, fmt("makespan ≤ %.1f× bound",
                    MAKESPAN_AIM), r.makespanMs() <= MAKESPAN_AIM * lowerBoundMs));
                continue;
            }
            if (fs != null)
                measured += fmt("; Fabric Stitch %.2f× shorter makespan, p99 %.2f× lower", r.makespanMs()
                    / fs.makespanMs(), r.latency().at(99) / fs.latency().at(99));
            if (r == rr && fs != null)
                out.add(Figure.judged("Placement: " + r.policy().label(), measured, fmt("Fabric Stitch ≥ %.1f× "
                    + "shorter makespan", ROUND_ROBIN_AIM), rr.makespanMs() >= ROUND_ROBIN_AIM * fs.makespanMs()));
            else
                out.add(Figure.context("Placement: " + r.policy().label(), measured, "(comparison)"));
        }
        return out;
    }

    /**
     * Rows of the routing-overhead figure: each routed call against its own plain call. The aim judges the trivial
     * routed call (plain compute through {@code FabricLoadBalancingSpi}); {@code FabricCompute.call} also reserves,
     * which takes two calls to the orchestrator, and is shown against the same kind of plain call for reference.
     */
    public static List<Figure> overhead(RoutingOverhead.Result r, int rounds) {
        String spi = fmt("Routing overhead: ignite.compute().call routed by FabricLoadBalancingSpi against a plain call "
            + "of the same job from the same caller to the node it chose, %d rounds", rounds);
        String fc = fmt("Routing overhead with a reservation: FabricCompute.call (placement, reservation, release) "
            + "against a plain call from the same caller to the same node, %d rounds", rounds);
        return List.of(
            Figure.judged(spi, overheadFigure(r.spi(), r.spiPlain()), fmt("p50 ≤ %.2f× plain", OVERHEAD_AIM),
                r.spi().at(50) <= OVERHEAD_AIM * r.spiPlain().at(50)),
            Figure.context(fc, overheadFigure(r.routed(), r.plain()), "(reference: two calls to the orchestrator)"));
    }

    private static String overheadFigure(Percentiles routed, Percentiles plain) {
        double plain50 = plain.at(50);
        double plain99 = plain.at(99);
        return fmt("p50 %.3f ms = %.2f× plain, p99 %.3f ms = %.2f×; plain call p50 %.3f ms, p99 %.3f ms",
            routed.at(50), routed.at(50) / plain50, routed.at(99), routed.at(99) / plain99, plain50, plain99);
    }

    /** One row per map size; the 10 000-fabric row is judged by its slowest priority class. */
    public static List<Figure> selection(List<SelectionScaling.Case> cases) {
        List<Figure> out = new ArrayList<>();
        for (int fabrics : SelectionScaling.FABRICS) {
            List<SelectionScaling.Case> at = cases.stream().filter(c -> c.fabrics() == fabrics).toList();
            if (at.isEmpty())
                continue;
            StringBuilder m = new StringBuilder();
            double slowest = Double.POSITIVE_INFINITY;
            for (SelectionScaling.Case c : at) {
                if (m.length() > 0)
                    m.append("; ");
                m.append(c.priority()).append(' ').append(fmt("%,.0f ± %,.0f", c.opsPerSecond(), c.error()));
                slowest = Math.min(slowest, c.opsPerSecond());
            }
            String what = fmt("Selection: decisions per second at %,d fabrics (one thread, any type)", fabrics);
            if (fabrics == 10_000)
                out.add(Figure.judged(what, m.toString(), fmt("≥ %,.0f/s (slowest class)", SELECTION_AIM),
                    slowest >= SELECTION_AIM));
            else
                out.add(Figure.context(what, m.toString(), "(scaling)"));
        }
        return out;
    }

    /** Discovery and failover rows: median with min and max, judged by the median. */
    public static List<Figure> adaptive(AdaptiveBenchmark.Figures f) {
        return List.of(
            spread("Discovery: agent start to its fabric's row in SQL on another node", f.toRow(), 1000),
            spread("Discovery: agent start to heard by another node's agent (beacon)", f.toHeard(), 1000),
            spread("Failover: kill -9 of the task's node to the result, FabricCompute", f.failoverCompute(), 2000),
            spread("Failover: kill -9 of the job's node to the result, plain compute with FabricFailoverSpi",
                f.failoverSpi(), 2000),
            context("Failover under load (2 spinning threads, 4 streaming callers): kill -9 to the long task's "
                + "result, FabricCompute", f.loaded().longTask(), "the quiet figure above, with both cores busy"),
            context("Failover under load: kill -9 to Ignite's verdict at the caller", f.loaded().verdict(),
                "what failover waits for"),
            context("Failover under load: kill -9 to each moved stream task's result", f.loaded().moved(),
                "every task that was on the dead node"),
            Figure.judged("Failover under load: runs with no placement on the dead node after Ignite's verdict",
                fmt("%d of %d (placements after the kill per run: median %.0f, max %.0f)",
                    f.loaded().stoppedByVerdict(), f.loaded().longTask().size(),
                    Percentiles.of(f.loaded().placementsAfterKill()).median(),
                    Percentiles.of(f.loaded().placementsAfterKill()).max()), "every run",
                f.loaded().stoppedByVerdict() == f.loaded().longTask().size()));
    }

    private static Figure context(String what, List<Double> ms, String note) {
        if (ms.isEmpty())
            return Figure.context(what, "no sample", note);
        Percentiles p = Percentiles.of(ms);
        return Figure.context(what + fmt(", %d samples", p.count()), fmt("median %.0f ms (min %.0f, max %.0f)",
            p.median(), p.min(), p.max()), note);
    }

    /**
     * Data-path rows: DIRECT against iperf3 and socket + file, TLS against DIRECT (medians, MiB/s), with the same
     * figures and verdicts as {@link DataPathBenchmark}'s own table.
     */
    public static List<Figure> dataPath(DataPathBenchmark.Figures f, int mib) {
        String rounds = fmt(", %d MiB rounds, staging in %s, %s", mib, f.staging(), f.transport());
        return List.of(
            Figure.judged("Data path: DIRECT upload" + rounds, f.directFigure(), "≥ 0.8× iperf3 (one stream) and "
                + "≥ 0.9× socket + file", f.directMet()),
            Figure.judged("Data path: TLS upload" + rounds, f.tlsFigure(), "≥ 0.7× DIRECT", f.tlsMet()));
    }

    private static Figure spread(String what, List<Double> ms, double aimMs) {
        Percentiles p = Percentiles.of(ms);
        return Figure.judged(what + fmt(", %d runs", p.count()), fmt("median %.0f ms (min %.0f, max %.0f)",
            p.median(), p.min(), p.max()), fmt("under %.0f s (median)", aimMs / 1000), p.median() < aimMs);
    }

    private static PlacementResult find(List<PlacementResult> results, Policy p) {
        return results.stream().filter(r -> r.policy() == p).findFirst().orElse(null);
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
