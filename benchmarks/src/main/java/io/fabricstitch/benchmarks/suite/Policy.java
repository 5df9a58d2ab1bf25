package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import java.time.Duration;
import java.util.Arrays;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterGroup;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.spi.loadbalancing.adaptive.AdaptiveLoadBalancingSpi;
import org.apache.ignite.spi.loadbalancing.roundrobin.RoundRobinLoadBalancingSpi;
import org.apache.ignite.spi.loadbalancing.weightedrandom.WeightedRandomLoadBalancingSpi;

/**
 * How a task of the batch is routed: by Fabric Stitch, or by plain {@code ignite.compute(group)} with one of Ignite's
 * built-in load balancers configured on every node. For the built-in ones the group is what an Ignite user would
 * write today: the nodes whose {@value FabricMapSchema#ATTR_FUNCTIONS} attribute names the task's function.
 */
public enum Policy {
    /**
     * {@link FabricCompute#callAsync}: the orchestrator's cost function, reservations and wait queue; each request
     * carries its task's size ({@link TaskRequest.Builder#work}), which Ignite's balancers have no way to take.
     */
    FABRIC_STITCH("Fabric Stitch (FabricCompute)") {
        @Override
        IgniteFuture<String> submit(Ignite caller, BenchTask t) {
            TaskRequest request = TaskRequest.builder(t.function()).amount(1).priority(t.priority()).work(t.work())
                .timeout(Duration.ofMinutes(10)).build();
            return FabricCompute.of(caller).callAsync(request, new DeviceJob(t.work()));
        }
    },

    /** Ignite's default: {@code RoundRobinLoadBalancingSpi} (global mode). */
    ROUND_ROBIN("Ignite RoundRobinLoadBalancingSpi") {
        @Override
        void configure(IgniteConfiguration cfg, Device device) {
            cfg.setLoadBalancingSpi(new RoundRobinLoadBalancingSpi());
        }
    },

    /**
     * {@code WeightedRandomLoadBalancingSpi} with {@code weighted=true}, each node's weight its device's capacity
     * ({@code speed * slots}, rounded), as a user who knows the hardware would set it.
     */
    WEIGHTED_RANDOM("Ignite WeightedRandomLoadBalancingSpi, weights = speed x slots") {
        @Override
        void configure(IgniteConfiguration cfg, Device device) {
            cfg.setLoadBalancingSpi(new WeightedRandomLoadBalancingSpi().setUseWeights(true)
                .setNodeWeight(device == null ? 1 : (int)Math.max(1, Math.round(device.capacity()))));
        }
    },

    /** {@code AdaptiveLoadBalancingSpi} with its default probe ({@code AdaptiveCpuLoadProbe}). */
    ADAPTIVE("Ignite AdaptiveLoadBalancingSpi, default CPU probe") {
        @Override
        void configure(IgniteConfiguration cfg, Device device) {
            cfg.setLoadBalancingSpi(new AdaptiveLoadBalancingSpi());
        }
    };

    private final String label;

    Policy(String label) {
        this.label = label;
    }

    /** How the policy is named in tables. */
    public String label() {
        return label;
    }

    /** Sets the policy's load balancer on a node's configuration ({@code device} is null for the caller). */
    void configure(IgniteConfiguration cfg, Device device) {
        // Fabric Stitch needs no load balancer: FabricCompute places through the orchestrator.
    }

    /** Sends one task from {@code caller}; the future yields the name of the device that served it. */
    IgniteFuture<String> submit(Ignite caller, BenchTask t) {
        return caller.compute(capable(caller, t.function())).callAsync(new DeviceJob(t.work()));
    }

    /** The server nodes that announce {@code function} in their node attributes. */
    static ClusterGroup capable(Ignite caller, String function) {
        return caller.cluster().forServers().forPredicate(n -> {
            Object fns = n.attribute(FabricMapSchema.ATTR_FUNCTIONS);
            return fns != null && Arrays.asList(fns.toString().split(",")).contains(function);
        });
    }

    /** The policy named {@code name} (case-insensitive, {@code -} for {@code _}). */
    public static Policy parse(String name) {
        for (Policy p : values()) {
            if (p.name().equalsIgnoreCase(name.trim().replace('-', '_')))
                return p;
        }
        throw new IllegalArgumentException("policy: '" + name + "' (expected one of: fabric-stitch, round-robin, "
            + "weighted-random, adaptive)");
    }
}
