package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.processors.metric.MetricRegistryImpl;
import org.apache.ignite.internal.processors.metric.impl.HistogramMetricImpl;
import org.apache.ignite.internal.processors.metric.impl.LongAdderMetric;
import org.apache.ignite.spi.metric.BooleanMetric;
import org.apache.ignite.spi.metric.DoubleMetric;
import org.apache.ignite.spi.metric.HistogramMetric;
import org.apache.ignite.spi.metric.IntMetric;
import org.apache.ignite.spi.metric.LongMetric;
import org.apache.ignite.spi.metric.Metric;
import org.apache.ignite.spi.metric.ObjectMetric;

/**
 * The node's {@value #REGISTRY} metric registry in Ignite's metric framework, so JMX
 * ({@code org.apache:igniteInstanceName=<node>,name=fabric}), {@code SYS.METRICS} (names {@code fabric.<metric>})
 * and every configured exporter show it. Counters count
 * what this node did (as a caller, or as the orchestrator's host); the fabric gauges read the node's copy of the
 * replicated Fabric Map, so every node shows the same cluster-wide counts. Names are listed in the README. Not API.
 */
public final class FabricMetrics {
    /** The registry's name. */
    public static final String REGISTRY = "fabric";

    /** Upper bounds of the selection-time histogram buckets, nanoseconds (1 µs .. 100 ms). */
    static final long[] SELECTION_BOUNDS_NS = {1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000,
        10_000_000, 50_000_000, 100_000_000};

    private final LongAdder routed = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private final LongAdder selections = new LongAdder();
    private volatile HistogramMetricImpl selectionTime;
    private volatile LongAdderMetric routedMetric;
    private volatile LongAdderMetric failoverMetric;
    private volatile IntSupplier waitQueue = () -> 0;
    private volatile IntSupplier reservations = () -> 0;
    private volatile boolean orchestratorHosted;
    private volatile MetricRegistryImpl registry;

    /**
     * Registers the metrics in {@code ignite}'s {@value #REGISTRY} registry.
     *
     * @param fabrics the rows of the node's Fabric Map copy, read on each gauge read
     */
    public FabricMetrics register(Ignite ignite, Supplier<Collection<FabricRow>> fabrics) {
        MetricRegistryImpl reg = ((IgniteEx)ignite).context().metric().registry(REGISTRY);
        reg.register("fabrics", () -> fabrics.get().size(), "Fabrics in the Fabric Map, every node's, any status.");
        for (FabricType type : FabricType.values()) {
            for (FabricStatus status : FabricStatus.values()) {
                reg.register(name(type, status), () -> count(fabrics.get(), type, status), "Fabrics of type "
                    + type + " that are " + status + '.');
            }
        }
        for (FabricStatus status : FabricStatus.values()) {
            reg.register("fabrics" + capitalized(status.name()), () -> (int)fabrics.get().stream()
                .filter(r -> status.name().equals(r.status())).count(), "Fabrics of any type that are " + status + '.');
        }
        routedMetric = reg.longAdderMetric("tasksRouted", "Tasks and jobs this node routed to a fabric (each "
            + "placement, failovers included).");
        failoverMetric = reg.longAdderMetric("failovers", "Tasks and jobs this node placed again after their fabric "
            + "or node failed.");
        selectionTime = reg.histogram("selectionTime", SELECTION_BOUNDS_NS, "Time to choose a fabric for one task "
            + "on this node, ns (bucket upper bounds).");
        reg.register("selections", selections::sum, "Fabric selections made on this node.");
        reg.register("orchestratorHosted", () -> orchestratorHosted, "Whether this node hosts the cluster-singleton "
            + "orchestrator (its queue and reservation gauges are live only there).");
        reg.register("waitQueueLength", () -> waitQueue.getAsInt(), "Tasks waiting for busy fabrics in the "
            + "orchestrator's queue (0 on nodes that do not host it).");
        reg.register("reservations", () -> reservations.getAsInt(), "Reservations the orchestrator holds for running "
            + "tasks (0 on nodes that do not host it).");
        reg.register("jobsWaiting", () -> ignite.cluster().localNode().metrics().getCurrentWaitingJobs(),
            "Compute jobs waiting in this node's job queue.");
        reg.register("jobsActive", () -> ignite.cluster().localNode().metrics().getCurrentActiveJobs(),
            "Compute jobs running on this node.");
        registry = reg;
        return this;
    }

    /** The metric name for fabrics of {@code type} in {@code status}, e.g. {@code gpuOnline}. */
    public static String name(FabricType type, FabricStatus status) {
        return type.name().toLowerCase(Locale.ROOT) + capitalized(status.name());
    }

    private static String capitalized(String upper) {
        return upper.charAt(0) + upper.substring(1).toLowerCase(Locale.ROOT);
    }

    private static int count(Collection<FabricRow> rows, FabricType type, FabricStatus status) {
        int n = 0;
        for (FabricRow r : rows) {
            if (status.name().equals(r.status()) && type.name().equals(r.fabricType()))
                n++;
        }
        return n;
    }

    /** Counts one placement of a task or job; {@code failover} when it replaces a failed one. */
    public void routed(boolean failover) {
        routed.increment();
        LongAdderMetric m = routedMetric;
        if (m != null)
            m.increment();
        if (failover) {
            failovers.increment();
            LongAdderMetric f = failoverMetric;
            if (f != null)
                f.increment();
        }
    }

    /** Records one fabric selection that took {@code nanos}. */
    public void selected(long nanos) {
        selections.increment();
        HistogramMetricImpl h = selectionTime;
        if (h != null)
            h.value(nanos);
    }

    /** Called by the orchestrator when it starts on this node: its queue and ledger back the gauges. */
    public void orchestratorStarted(IntSupplier waitQueue, IntSupplier reservations) {
        this.waitQueue = waitQueue;
        this.reservations = reservations;
        this.orchestratorHosted = true;
    }

    /** Called by the orchestrator when it stops on this node. */
    public void orchestratorStopped() {
        this.orchestratorHosted = false;
        this.waitQueue = () -> 0;
        this.reservations = () -> 0;
    }

    /** Placements counted on this node. */
    public long tasksRouted() {
        return routed.sum();
    }

    /** Failovers counted on this node. */
    public long failovers() {
        return failovers.sum();
    }

    /**
     * Every metric of the registry by its name, read now: numbers and booleans as they are, histograms as
     * {@code {"<=1000": n, ..., ">100000000": n}}; empty before {@link #register}.
     */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        MetricRegistryImpl reg = registry;
        if (reg == null)
            return out;
        for (Metric m : reg) {
            String name = m.name().substring(REGISTRY.length() + 1);
            out.put(name, value(m));
        }
        return out;
    }

    private static Object value(Metric m) {
        if (m instanceof LongMetric)
            return ((LongMetric)m).value();
        if (m instanceof IntMetric)
            return ((IntMetric)m).value();
        if (m instanceof DoubleMetric)
            return ((DoubleMetric)m).value();
        if (m instanceof BooleanMetric)
            return ((BooleanMetric)m).value();
        if (m instanceof HistogramMetric) {
            HistogramMetric h = (HistogramMetric)m;
            Map<String, Long> buckets = new LinkedHashMap<>();
            long[] bounds = h.bounds();
            long[] values = h.value();
            for (int i = 0; i < values.length; i++)
                buckets.put(i < bounds.length ? "<=" + bounds[i] : ">" + bounds[bounds.length - 1], values[i]);
            return buckets;
        }
        if (m instanceof ObjectMetric)
            return String.valueOf(((ObjectMetric<?>)m).value());
        return m.getAsString();
    }
}
