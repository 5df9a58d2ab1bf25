package io.fabricstitch.benchmarks.throughput;

import io.fabricstitch.benchmarks.Flags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@link ReservingPathBenchmark}: {@code --key value} pairs, each checked; a bad one is refused
 * naming the option and what it accepts.
 *
 * @param parts the parts to run
 * @param tasks tasks of each measured async run (FabricCompute and plain)
 * @param inFlight most tasks in flight at once, over all callers of a run
 * @param syncCalls measured calls of each sync figure (per thread count, spread over the threads)
 * @param threads thread counts of the sync figures
 * @param scalingTasks tasks of each scaling run
 * @param callers caller (client) node counts of the scaling runs
 * @param servers server node counts of the scaling runs, ascending; the first is also the async and sync cluster
 * @param warmUp tasks (async) or calls (sync) run before each measured run and not counted
 * @param jfr file the measured FabricCompute async run is recorded to (JFR, profile settings), or null
 * @param markdown file the report is written to, or null
 */
public record ThroughputOptions(Set<Part> parts, int tasks, int inFlight, int syncCalls, List<Integer> threads,
    int scalingTasks, List<Integer> callers, List<Integer> servers, int warmUp, Path jfr, Path markdown) {
    /** The parts of the run, in the order they run. */
    public enum Part {
        ASYNC, SYNC, SCALING
    }

    /** Most server or caller nodes one run starts: the port ranges hold 20 nodes. */
    static final int MAX_NODES = 20;

    public static final String USAGE = String.join(System.lineSeparator(),
        "usage: ReservingPathBenchmark [--tasks N] [--in-flight N] [--sync-calls N] [--threads T,...]",
        "                              [--scaling-tasks N] [--callers C,...] [--servers S,...] [--warm-up N]",
        "                              [--only PART,...] [--jfr FILE] [--markdown FILE]",
        "  --tasks          tasks of each measured async run, 100..1000000 (default 20000)",
        "  --in-flight      most tasks in flight at once, over all callers, 1..4096 (default 256)",
        "  --sync-calls     measured calls per sync thread count, 10..1000000 (default 2000)",
        "  --threads        thread counts of the sync figures, each 1..256 (default 1,16)",
        "  --scaling-tasks  tasks of each scaling run, 100..1000000 (default 5000)",
        "  --callers        caller (client) node counts of the scaling runs, each 1..16 (default 1,2,4)",
        "  --servers        server node counts of the scaling runs, ascending, each 1..16 (default 3,6); the first",
        "                   is the cluster of the async and sync figures",
        "  --warm-up        tasks or calls before each measured run, not counted, 0..1000000 (default 2000)",
        "  --only           parts to run, comma-separated: async, sync, scaling (default all)",
        "  --jfr            record the measured FabricCompute async run to FILE (JFR, profile settings,",
        "                   monitor and park events from 1 ms)",
        "  --markdown       also write the report to FILE (Markdown)");

    private static final List<String> KEYS = List.of("--tasks", "--in-flight", "--sync-calls", "--threads",
        "--scaling-tasks", "--callers", "--servers", "--warm-up", "--only", "--jfr", "--markdown");

    /** Parses {@code args}. @throws IllegalArgumentException naming the bad option */
    public static ThroughputOptions parse(String... args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i];
            if (!KEYS.contains(key))
                throw new IllegalArgumentException("unknown option '" + key + "' (expected one of: "
                    + String.join(", ", KEYS) + ")");
            if (i + 1 >= args.length)
                throw new IllegalArgumentException(key + ": no value (expected: " + key + " VALUE)");
            if (opts.put(key, args[i + 1]) != null)
                throw new IllegalArgumentException(key + ": given twice (expected: once at most)");
        }
        List<Integer> servers = counts(opts, "--servers", "3,6", 1, 16);
        for (int i = 1; i < servers.size(); i++) {
            if (servers.get(i) <= servers.get(i - 1))
                throw new IllegalArgumentException("--servers: '" + opts.get("--servers") + "' (expected: ascending "
                    + "counts, each larger than the one before, e.g. 3,6)");
        }
        List<Integer> callers = counts(opts, "--callers", "1,2,4", 1, 16);
        int maxCallers = callers.stream().mapToInt(Integer::intValue).max().orElse(1);
        if (servers.get(servers.size() - 1) + maxCallers > MAX_NODES)
            throw new IllegalArgumentException("--servers and --callers: " + servers.get(servers.size() - 1) + " + "
                + maxCallers + " nodes (expected: at most " + MAX_NODES + " nodes together)");
        int inFlight = Flags.intValue("--in-flight", opts.get("--in-flight"), 256, 1, 4096);
        if (inFlight < maxCallers)
            throw new IllegalArgumentException("--in-flight: " + inFlight + " (expected: at least the largest "
                + "--callers count, " + maxCallers + ", so that every caller has a task in flight)");
        return new ThroughputOptions(Flags.parts("--only", opts.get("--only"), Part.class),
            Flags.intValue("--tasks", opts.get("--tasks"), 20_000, 100, 1_000_000), inFlight,
            Flags.intValue("--sync-calls", opts.get("--sync-calls"), 2_000, 10, 1_000_000),
            counts(opts, "--threads", "1,16", 1, 256),
            Flags.intValue("--scaling-tasks", opts.get("--scaling-tasks"), 5_000, 100, 1_000_000), callers, servers,
            Flags.intValue("--warm-up", opts.get("--warm-up"), 2_000, 0, 1_000_000),
            Flags.file("--jfr", opts.get("--jfr")), Flags.file("--markdown", opts.get("--markdown")));
    }

    /** Whether {@code part} runs. */
    public boolean runs(Part part) {
        return parts.contains(part);
    }

    /** The options as a command line would give them (every value, defaults included). */
    public List<String> asArguments() {
        List<String> out = new ArrayList<>(List.of("--tasks", String.valueOf(tasks), "--in-flight",
            String.valueOf(inFlight), "--sync-calls", String.valueOf(syncCalls), "--threads", joined(threads),
            "--scaling-tasks", String.valueOf(scalingTasks), "--callers", joined(callers), "--servers",
            joined(servers), "--warm-up", String.valueOf(warmUp), "--only",
            String.join(",", parts.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList())));
        if (jfr != null)
            out.addAll(List.of("--jfr", jfr.toString()));
        if (markdown != null)
            out.addAll(List.of("--markdown", markdown.toString()));
        return out;
    }

    private static String joined(List<Integer> counts) {
        return String.join(",", counts.stream().map(String::valueOf).toList());
    }

    private static List<Integer> counts(Map<String, String> opts, String key, String dflt, int min, int max) {
        String text = opts.getOrDefault(key, dflt);
        List<Integer> out = new ArrayList<>();
        for (String p : text.split(",")) {
            int n = Flags.intValue(key, p, 0, min, max);
            if (p.isBlank() || out.contains(n))
                throw new IllegalArgumentException(key + ": '" + text + "' (expected: distinct integers " + min + ".."
                    + max + ", comma-separated)");
            out.add(n);
        }
        return List.copyOf(out);
    }
}
