package io.fabricstitch.examples.api;

import io.fabricstitch.ignite.compute.CostTerms;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricType;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link FabricCompute} with priority classes: the same blur (GPU or FPGA, 1024 units) is run as
 * {@code latency-critical}, {@code balanced} and {@code batch}. The cost function weighs distance against load by
 * class, so latency-critical work lands on the nearest capable fabric and batch work on the emptiest one (on the demo
 * cluster: the L4, 1 ms away, against the much larger A100, 3 ms away). Prints each placement with both cost terms.
 * <pre>{@code
 * Placement p = FabricCompute.of(ignite).execute(TaskRequest.builder("image.gaussian-blur")
 *     .fabricTypes(FabricType.GPU, FabricType.FPGA).amount(1024).priority("latency-critical").input(png).build())
 *     .placement();
 * }</pre>
 */
public final class PrioritiesExample implements Example {
    /** The classes run, in order, and how many tasks of each. */
    static final List<String> CLASSES = List.of(PriorityClass.LATENCY_CRITICAL, PriorityClass.BALANCED,
        PriorityClass.BATCH);
    static final int TASKS_PER_CLASS = 2;

    @Override
    public String name() {
        return "priorities";
    }

    @Override
    public String summary() {
        return "FabricCompute: one blur as latency-critical, balanced and batch lands on the nearest or the emptiest "
            + "fabric";
    }

    @Override
    public boolean run(ExampleContext ctx) {
        PrintStream out = ctx.out();
        FabricCompute fabrics = FabricCompute.of(ctx.node());
        byte[] png = DemoImage.png(320, 200);
        out.println("The same task, image.gaussian-blur needing GPU|FPGA:1024, " + TASKS_PER_CLASS + " times in each "
            + "priority class; cost = latencyWeight x latency + resourceWeight x utilization x price");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PRIORITY", "WEIGHTS", "FABRIC", "NODE", "LATENCY_MS", "LATENCY_TERM", "RESOURCE_TERM",
            "COST"});
        Map<String, Placement> byClass = new LinkedHashMap<>();
        for (String priority : CLASSES) {
            for (int i = 0; i < TASKS_PER_CLASS; i++) {
                TaskRequest r = TaskRequest.builder("image.gaussian-blur").fabricTypes(FabricType.GPU, FabricType.FPGA)
                    .amount(1024).priority(priority).input(png).timeout(Duration.ofSeconds(30)).build();
                try {
                    Placement p = fabrics.execute(r).placement();
                    fabrics.awaitReleases(Duration.ofSeconds(10)); // one at a time: the next sees these units free
                    byClass.putIfAbsent(priority, p);
                    CostTerms t = p.terms();
                    rows.add(new String[] {priority, fabrics.weightsOf(r).toString(), p.fabricType() + " " + p.model(),
                        p.nodeName(), num(t.latencyMs()), num(t.latencyTerm()), num(t.resourceTerm()), num(t.cost())});
                }
                catch (NoSuitableFabricException e) {
                    rows.add(new String[] {priority, fabrics.weightsOf(r).toString(), "(none)", "", "", "", "",
                        "refused: " + e.getMessage()});
                }
            }
        }
        FabricMapPrinter.printRows(rows, out);
        return conclude(byClass, out);
    }

    /** Says where latency-critical and batch work went; true when latency-critical went no farther than batch. */
    private static boolean conclude(Map<String, Placement> byClass, PrintStream out) {
        Placement critical = byClass.get(PriorityClass.LATENCY_CRITICAL);
        Placement batch = byClass.get(PriorityClass.BATCH);
        if (critical == null || batch == null) {
            out.println("No GPU or FPGA fabric with 1024 free units took the tasks (expected: a cluster such as "
                + "config/fabric-demo.xml's, with declared GPUs and an FPGA).");
            return false;
        }
        out.println("latency-critical -> " + describe(critical) + "; batch -> " + describe(batch));
        boolean nearer = critical.terms().latencyMs() <= batch.terms().latencyMs();
        out.println(nearer ? "Latency-critical tasks went to the lower-latency fabric; batch tasks to the one with "
            + "more room." : "Latency-critical tasks went farther than batch tasks: check the priority classes.");
        return nearer;
    }

    private static String describe(Placement p) {
        return p.fabricType() + " " + p.model() + " on " + p.nodeName() + " (" + num(p.terms().latencyMs()) + " ms, "
            + "utilization after placing " + num(p.terms().utilizationAfter()) + ")";
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }
}
