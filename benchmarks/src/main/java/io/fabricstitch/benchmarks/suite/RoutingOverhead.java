package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.benchmarks.Percentiles;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.TaskRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.ignite.Ignite;

/**
 * The cost of routing one trivial call, each routed call against a plain
 * {@code ignite.compute(cluster.forNodeId(id)).call(...)} from the same caller, with the same job, to the node the
 * routed call went to last (the plain call of the SPI pair may come first in a round, and then takes the node of the
 * round before), so that only the routing differs. The four calls take turns within each round (the order rotates; see
 * {@link #ORDERS}) so that whatever else the machine does falls on all of them:
 * <ul>
 *     <li><b>FabricCompute.call</b> from the caller: placement by the orchestrator, reservation, the job, release;
 *     against a plain call of the same job from the caller;</li>
 *     <li><b>plain compute with FabricLoadBalancingSpi</b> from a second caller that has the SPI first:
 *     {@code ignite.compute().call(job)} over the server nodes, as an application writes it; the closure is a
 *     {@code FabricJob}, which the balancer routes by cost among the fabrics that run its function, nothing reserved;
 *     against a plain call of the same {@code FabricJob} from that caller.</li>
 * </ul>
 * The request: function {@value PlacementWorkload#ENCODE} (all four devices run it), latency-critical, one slot.
 */
public final class RoutingOverhead {
    /**
     * Latencies in ms of the four calls.
     *
     * @param routed FabricCompute.call
     * @param plain plain call from the same caller to the routed call's node
     * @param spi plain compute routed by FabricLoadBalancingSpi
     * @param spiPlain plain call from the SPI's caller, with the same job, to the node the SPI chose
     * @param sameNode rounds in which the SPI chose the FabricCompute call's node too
     */
    public record Result(Percentiles routed, Percentiles plain, Percentiles spi, Percentiles spiPlain, int sameNode) {
    }

    /**
     * Call orders, one per round in turn (0 FabricCompute, 1 its plain call, 2 SPI, 3 its plain call). Each round
     * starts with the FabricCompute call, whose ledger writes keep the cluster busy for a moment after it; the SPI call
     * and its plain call each come 1, 2, 2 and 3 calls after it over the four orders, so that neither runs closer to
     * that work than the other.
     */
    private static final int[][] ORDERS = {{0, 2, 3, 1}, {0, 3, 2, 1}, {0, 1, 2, 3}, {0, 1, 3, 2}};

    private RoutingOverhead() {
    }

    /** {@code warmUp} rounds not counted, then {@code rounds} measured ones. */
    public static Result measure(HeterogeneousCluster cluster, int warmUp, int rounds, PrintStream progress) {
        Ignite caller = cluster.caller();
        Ignite spiCaller = cluster.spiCaller();
        TaskRequest request = TaskRequest.builder(PlacementWorkload.ENCODE).amount(1)
            .priority(PriorityClass.LATENCY_CRITICAL).build();
        FabricCompute fc = FabricCompute.of(caller);
        List<List<Double>> samples = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
            new ArrayList<>());
        int same = 0;
        UUID[] node = {null, spiCaller.compute().call(new WhereJob(request))};
        for (int i = 0; i < warmUp + rounds; i++) {
            double[] ms = new double[4];
            for (int which : ORDERS[i % ORDERS.length]) {
                long t0 = System.nanoTime();
                switch (which) {
                    case 0:
                        node[0] = fc.call(request, new WhereJob(null));
                        break;
                    case 1:
                        caller.compute(caller.cluster().forNodeId(node[0])).call(new WhereJob(null));
                        break;
                    case 2:
                        node[1] = spiCaller.compute().call(new WhereJob(request));
                        break;
                    default:
                        spiCaller.compute(spiCaller.cluster().forNodeId(node[1])).call(new WhereJob(request));
                }
                ms[which] = (System.nanoTime() - t0) / 1e6;
            }
            if (i >= warmUp) {
                for (int k = 0; k < 4; k++)
                    samples.get(k).add(ms[k]);
                if (node[0].equals(node[1]))
                    same++;
            }
        }
        Result r = new Result(Percentiles.of(samples.get(0)), Percentiles.of(samples.get(1)),
            Percentiles.of(samples.get(2)), Percentiles.of(samples.get(3)), same);
        progress.printf(Locale.ROOT, "routing overhead over %d rounds: FabricCompute p50 %.3f ms against plain %.3f "
            + "ms; SPI p50 %.3f ms against plain %.3f ms (SPI chose the FabricCompute call's node in %d rounds)%n",
            rounds, r.routed().at(50), r.plain().at(50), r.spi().at(50), r.spiPlain().at(50), same);
        return r;
    }
}
