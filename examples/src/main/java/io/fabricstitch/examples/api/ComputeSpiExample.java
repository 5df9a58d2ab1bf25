package io.fabricstitch.examples.api;

import io.fabricstitch.ignite.FabricStitch;
import io.fabricstitch.ignite.compute.FabricJob;
import io.fabricstitch.ignite.compute.FabricLoadBalancingSpi;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * Plain Ignite compute with {@link FabricLoadBalancingSpi}: {@code ignite.compute().call(job)} with no Fabric Stitch
 * call in sight, where each job implements {@link FabricJob} to say what it needs. The SPI sends each job to the node
 * of the cheapest fabric that fits, so a job that needs an ASIC runs where the ASIC is. Each job reports the node it
 * ran on and the fitting fabrics there; the example checks that node against the Fabric Map.
 * <pre>{@code
 * cfg.setLoadBalancingSpi(new FabricLoadBalancingSpi());            // on the node that submits
 * String where = ignite.compute().call(new WhereAmI(TaskRequest.builder("sha256").require(FabricType.ASIC, 8)
 *     .build()));
 * }</pre>
 */
public final class ComputeSpiExample implements Example {
    /** What the example's jobs ask for. */
    static final List<TaskRequest> JOBS = List.of(
        TaskRequest.builder("sha256").require(FabricType.ASIC, 8).build(),
        TaskRequest.builder("deflate").require(FabricType.FPGA, 256).build(),
        TaskRequest.builder("matmul.f32").require(FabricType.GPU, 4096).priority(PriorityClass.LATENCY_CRITICAL)
            .build(),
        TaskRequest.builder("image.gaussian-blur").require(FabricType.CPU, 1).priority(PriorityClass.BATCH).build());

    @Override
    public String name() {
        return "spi";
    }

    @Override
    public String summary() {
        return "plain ignite.compute().call(...) routed by FabricLoadBalancingSpi to the node of the cheapest fitting "
            + "fabric";
    }

    @Override
    public void configure(IgniteConfiguration cfg) {
        cfg.setLoadBalancingSpi(new FabricLoadBalancingSpi());
    }

    @Override
    public boolean run(ExampleContext ctx) {
        Ignite ignite = ctx.node();
        PrintStream out = ctx.out();
        out.println("Plain Ignite compute, FabricLoadBalancingSpi configured: ignite.compute().call(job) for "
            + JOBS.size() + " jobs that implement FabricJob");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"FUNCTION", "NEEDS", "PRIORITY", "RAN_ON", "FITTING FABRICS THERE", "NODES THAT FIT"});
        boolean allFit = true;
        for (TaskRequest r : JOBS) {
            Set<String> fitting = nodesThatFit(ignite, r);
            String[] where = ignite.compute().call(new WhereAmI(r));
            allFit &= fitting.contains(where[0]);
            rows.add(new String[] {r.function(), needs(r), r.priority(), where[0], where[1],
                String.join(", ", fitting)});
        }
        FabricMapPrinter.printRows(rows, out);
        out.println(allFit ? "Every job ran on a node with a fabric that fits it: the SPI chose by the Fabric Map."
            : "Some job ran on a node without a fitting fabric: see RAN_ON against NODES THAT FIT.");
        return allFit;
    }

    /** Names of the server nodes holding an ONLINE fabric that fits {@code r}, from the Fabric Map. */
    static Set<String> nodesThatFit(Ignite ignite, TaskRequest r) {
        Set<String> names = new TreeSet<>();
        for (FabricEntry f : FabricStitch.of(ignite).fabricMap()) {
            if (fits(f, r)) {
                ClusterNode n = ignite.cluster().node(f.getNodeId());
                if (n != null)
                    names.add(String.valueOf(n.consistentId()));
            }
        }
        return names;
    }

    static boolean fits(FabricEntry f, TaskRequest r) {
        return f.getStatus() == FabricStatus.ONLINE && (r.anyFabricType() || r.fabricTypes().contains(f.getFabricType()))
            && f.getSupportedFunctions().contains(r.function()) && f.getResourceCount() >= r.amount();
    }

    private static String needs(TaskRequest r) {
        return r.fabricTypesText() + ':' + r.amount();
    }

    /**
     * A job that says what it needs and reports where it ran: the node's name and its fabrics that fit, e.g.
     * {@code {"demo-2", "ASIC SHA-256 hashing ASIC (declared)"}}.
     */
    static final class WhereAmI implements IgniteCallable<String[]>, FabricJob {
        private static final long serialVersionUID = 1L;

        private final TaskRequest request;

        @IgniteInstanceResource
        private transient Ignite ignite;

        WhereAmI(TaskRequest request) {
            this.request = request;
        }

        @Override
        public TaskRequest fabricRequest() {
            return request;
        }

        @Override
        public String[] call() {
            String fabrics = FabricStitch.of(ignite).localFabrics().stream().filter(f -> fits(f, request))
                .map(f -> f.getFabricType() + " " + f.getModel()).collect(Collectors.joining(", "));
            return new String[] {String.valueOf(ignite.cluster().localNode().consistentId()),
                fabrics.isEmpty() ? "(none)" : fabrics};
        }
    }
}
