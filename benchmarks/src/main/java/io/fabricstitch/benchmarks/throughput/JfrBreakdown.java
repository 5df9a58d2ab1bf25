package io.fabricstitch.benchmarks.throughput;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time of a recording of {@link ReservingPathBenchmark} goes: CPU samples ({@code jdk.ExecutionSample}) by
 * thread group and by cost (the first {@link Cost} whose marker a sample's stack holds, innermost frame first), park
 * time ({@code jdk.ThreadPark}) by thread group and cost, and contended monitors ({@code jdk.JavaMonitorEnter}) by
 * class and by the method that waited. Usage: {@code JfrBreakdown FILE.jfr [TOP]} (TOP frames per list, default 12).
 */
public final class JfrBreakdown {
    /**
     * Costs a stack is sorted into, by the first frame (innermost first) of a listed class or method; the order
     * is the precedence within one frame list.
     */
    enum Cost {
        CALLERS_WORD_WRITE("TASK_ASSIGNMENT write the caller waits for (putCallersWord)", "TaskLedgerStore.putCallersWord",
            "LedgerWriter.putCallersWordNow"),
        LEDGER_RESERVATION("RESERVATION writes (ledger writer)", "TaskLedgerStore.putReservations",
            "TaskLedgerStore.removeReservations"),
        LEDGER_FREE("FABRIC_MAP RESOURCE_FREE writes (ledger writer, setFree)", "FabricMapStore.setFree"),
        LEDGER_ASSIGNMENT("TASK_ASSIGNMENT RUNNING rows and removals (ledger writer)", "TaskLedgerStore.putAssignments",
            "TaskLedgerStore.removeAssignments"),
        ORCHESTRATOR_DECISION("orchestrator decision under its lock (State.place/releaseDeferred)",
            "OrchestratorService$State.place", "OrchestratorService$State.releaseDeferred"),
        MAP_VIEW("Fabric Map views (continuous-query listeners)", "FabricMapView.", "CandidateTable."),
        CACHE_UPDATE_REMOTE("cache updates applied for other nodes (DHT/near atomic update requests)",
            "GridDhtAtomicCache.processDhtAtomicUpdateRequest", "GridDhtAtomicCache.processNearAtomicUpdateRequest",
            "GridDhtAtomicCache.processDhtAtomicNearResponse", "GridDhtAtomicCache.processCheckUpdateRequest"),
        CONTINUOUS_QUERY("continuous-query notifications", "CacheContinuousQueryManager",
            "CacheContinuousQueryHandler"),
        SQL_INDEX("SQL/H2 index maintenance", "org.apache.ignite.internal.processors.query.h2.",
            "org.apache.ignite.internal.cache.query.index."),
        PLACE_CALL("caller's place call to the orchestrator (TaskRun.acquire)", "TaskRun.acquire"),
        RELEASE_CALL("caller's release call to the orchestrator (TaskRun.release)", "TaskRun.release"),
        SERVICE_PROXY("service-proxy calls (place/release to the orchestrator)", "GridServiceProxy",
            "ServiceCallContext", "PlatformServiceMethod"),
        TASK_RUN("FabricCompute caller (TaskRun, FabricCompute)", "io.fabricstitch.ignite.internal.TaskRun",
            "io.fabricstitch.ignite.internal.FabricComputeImpl"),
        COMPUTE_JOB("compute jobs and tasks (GridJob*/GridTask*)", "GridJobProcessor", "GridJobWorker",
            "GridTaskProcessor", "GridTaskWorker"),
        MARSHALLING("binary/JDK marshalling", "org.apache.ignite.internal.binary.", "marshaller.",
            "GridBinaryMarshaller", "java.io.ObjectOutputStream", "java.io.ObjectInputStream"),
        MESSAGING("Ignite messaging and NIO (communication SPI)", "GridIoManager", "GridNioServer",
            "TcpCommunicationSpi", "sun.nio.ch."),
        DISCOVERY("discovery", "TcpDiscoverySpi", "ServerImpl", "ClientImpl", "GridDiscoveryManager"),
        JDK_CONCURRENT("JDK locks and queues", "java.util.concurrent."),
        OTHER("other");

        private final String label;
        private final List<String> markers;

        Cost(String label, String... markers) {
            this.label = label;
            this.markers = List.of(markers);
        }

        String label() {
            return label;
        }

        /** The cost of {@code stack}: per frame, innermost first, the first cost with a marker in it. */
        static Cost of(RecordedStackTrace stack) {
            if (stack == null)
                return OTHER;
            for (RecordedFrame f : stack.getFrames()) {
                String name = frame(f);
                for (Cost c : values()) {
                    for (String m : c.markers) {
                        if (name.contains(m))
                            return c;
                    }
                }
            }
            return OTHER;
        }

        /**
         * The outermost cost the stack holds, in this enum's order of precedence (the writes first): what the
         * sample was done for, rather than what it was doing.
         */
        static Cost purpose(RecordedStackTrace stack) {
            if (stack == null)
                return OTHER;
            for (Cost c : values()) {
                for (RecordedFrame f : stack.getFrames()) {
                    String name = frame(f);
                    for (String m : c.markers) {
                        if (name.contains(m))
                            return c;
                    }
                }
            }
            return OTHER;
        }
    }

    private JfrBreakdown() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: JfrBreakdown FILE.jfr [TOP]");
            System.exit(2);
        }
        int top = args.length == 2 ? io.fabricstitch.benchmarks.Flags.intValue("TOP", args[1], 12, 1, 1000) : 12;
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
        System.out.print(report(events, top));
    }

    static String report(List<RecordedEvent> events, int top) {
        List<RecordedEvent> samples = of(events, "jdk.ExecutionSample");
        List<RecordedEvent> parks = of(events, "jdk.ThreadPark");
        List<RecordedEvent> monitors = of(events, "jdk.JavaMonitorEnter");
        StringBuilder sb = new StringBuilder();
        sb.append(fmt("%d CPU samples, %d parks >= threshold, %d contended monitor entries%n%n", samples.size(),
            parks.size(), monitors.size()));
        sb.append("CPU samples by thread group:\n").append(counts(samples, e -> group(e.getThread("sampledThread")),
            samples.size(), top));
        sb.append("\nCPU samples by cost (purpose: the outermost listed cost on the stack):\n")
            .append(counts(samples, e -> Cost.purpose(e.getStackTrace()).label(), samples.size(), top + 8));
        sb.append("\nCPU samples by cost (innermost listed frame):\n")
            .append(counts(samples, e -> Cost.of(e.getStackTrace()).label(), samples.size(), top + 8));
        sb.append("\nCPU samples, top self frames:\n").append(counts(samples, e -> selfFrame(e.getStackTrace()),
            samples.size(), top));
        for (String g : topKeys(samples, e -> group(e.getThread("sampledThread")), 4)) {
            List<RecordedEvent> in = samples.stream().filter(e -> group(e.getThread("sampledThread")).equals(g))
                .toList();
            sb.append("\nCPU samples of ").append(g).append(" by cost (purpose):\n").append(counts(in,
                e -> Cost.purpose(e.getStackTrace()).label(), in.size(), 8));
        }
        sb.append("\nPark time by thread group (s):\n").append(durations(parks, e -> group(e.getThread()), top));
        sb.append("\nPark time by thread group and cost (purpose) (s):\n").append(durations(parks,
            e -> group(e.getThread()) + " / " + Cost.purpose(e.getStackTrace()).label(), top + 8));
        sb.append("\nContended monitors by class (s blocked):\n").append(durations(monitors,
            e -> e.getClass("monitorClass") == null ? "?" : e.getClass("monitorClass").getName(), top));
        sb.append("\nContended monitors by waiting method (s blocked):\n").append(durations(monitors,
            e -> selfFrame(e.getStackTrace()), top));
        return sb.toString();
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
    }

    /**
     * A thread's name without its numbers, with its node as {@code s0} (the first server, where the orchestrator
     * singleton runs), {@code s1+} (the other servers) or {@code client}: {@code sys-stripe-3-#4%rp-s0%} ->
     * {@code sys-stripe @s0}, {@code fabric-compute-rp-c0-17} -> {@code fabric-compute @client}.
     */
    static String group(RecordedThread t) {
        if (t == null)
            return "?";
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        String node = "";
        String base = name;
        int pct = name.indexOf('%');
        int rp = name.lastIndexOf("-rp-");
        if (pct >= 0 && name.indexOf('%', pct + 1) > pct) {
            node = name.substring(pct + 1, name.indexOf('%', pct + 1));
            base = name.substring(0, pct);
        }
        else if (rp > 0) {
            node = name.substring(rp + 1);
            base = name.substring(0, rp);
        }
        base = base.replaceAll("[-#]*\\d+", "").replaceAll("[-#]+$", "");
        if (node.startsWith("rp-s"))
            node = node.matches("rp-s0(\\D.*)?") ? "s0" : "s1+";
        else if (node.startsWith("rp-c"))
            node = "client";
        return node.isEmpty() ? base : base + " @" + node;
    }

    private static String selfFrame(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty())
            return "?";
        return frame(stack.getFrames().get(0));
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static List<String> topKeys(List<RecordedEvent> events, Function<RecordedEvent, String> key, int n) {
        return events.stream().collect(Collectors.groupingBy(key, Collectors.counting())).entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n).map(Map.Entry::getKey).toList();
    }

    private static String counts(List<RecordedEvent> events, Function<RecordedEvent, String> key, int total,
        int top) {
        Map<String, Long> by = events.stream().collect(Collectors.groupingBy(key, TreeMap::new,
            Collectors.counting()));
        StringBuilder sb = new StringBuilder();
        by.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
            .forEach(e -> sb.append(fmt("  %6d  %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / total,
                e.getKey())));
        return sb.toString();
    }

    private static String durations(List<RecordedEvent> events, Function<RecordedEvent, String> key, int top) {
        Map<String, double[]> by = new LinkedHashMap<>();
        for (RecordedEvent e : events) {
            double[] v = by.computeIfAbsent(key.apply(e), k -> new double[2]);
            v[0] += seconds(e.getDuration());
            v[1]++;
        }
        double total = by.values().stream().mapToDouble(v -> v[0]).sum();
        StringBuilder sb = new StringBuilder();
        by.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(top)
            .forEach(e -> sb.append(fmt("  %8.1f s  %5.1f%%  %7d events, mean %6.1f ms  %s%n", e.getValue()[0],
                100 * e.getValue()[0] / total, (long)e.getValue()[1], 1000 * e.getValue()[0] / e.getValue()[1],
                e.getKey())));
        return sb.toString();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
