package io.fabricstitch.benchmarks.suite;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The suite's command line: {@code --key value} pairs, each checked; a bad one is refused naming the option and what
 * it accepts.
 *
 * @param parts the parts to run
 * @param tasks tasks in the placement batch
 * @param seed seed of the placement batch
 * @param overheadRounds measured rounds of the overhead figure
 * @param adaptiveRuns runs per discovery and failover figure
 * @param dataPathMib MiB per data-path round
 * @param markdown file the Markdown table is written to, or null
 */
public record SuiteOptions(Set<Part> parts, int tasks, long seed, int overheadRounds, int adaptiveRuns,
    int dataPathMib, Path markdown) {
    /** The parts of the suite, in the order they run. */
    public enum Part {
        SELECTION, DATAPATH, PLACEMENT, OVERHEAD, ADAPTIVE, THROUGHPUT, MAP
    }

    public static final String USAGE = String.join(System.lineSeparator(),
        "usage: BenchmarkSuite [--markdown FILE] [--tasks N] [--seed S] [--overhead-rounds N] [--adaptive-runs N]",
        "                      [--data-path-mib N] [--only PART,...]",
        "  --markdown         also write the table to FILE (Markdown)",
        "  --tasks            tasks in the placement batch, 50..5000 (default 600)",
        "  --seed             seed of the placement batch, an integer (default 20261129)",
        "  --overhead-rounds  measured rounds of the routing-overhead figure, 10..100000 (default 3000)",
        "  --adaptive-runs    runs of each discovery and failover figure, 3..100 (default 5)",
        "  --data-path-mib    MiB moved per data-path round, 16..4096 (default 512)",
        "  --only             parts to run, comma-separated: selection, datapath, placement, overhead, adaptive,",
        "                     throughput, map (default all)");

    /** Parses {@code args}. @throws IllegalArgumentException naming the bad option */
    public static SuiteOptions parse(String... args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i];
            if (!Set.of("--markdown", "--tasks", "--seed", "--overhead-rounds", "--adaptive-runs", "--data-path-mib",
                "--only").contains(key))
                throw new IllegalArgumentException("unknown option '" + key + "' (expected one of: --markdown, --tasks, "
                    + "--seed, --overhead-rounds, --adaptive-runs, --data-path-mib, --only)");
            if (i + 1 >= args.length)
                throw new IllegalArgumentException(key + ": no value (expected: " + key + " VALUE)");
            if (opts.put(key, args[i + 1]) != null)
                throw new IllegalArgumentException(key + ": given twice (expected: once at most)");
        }
        return new SuiteOptions(io.fabricstitch.benchmarks.Flags.parts("--only", opts.get("--only"), Part.class),
            intOption(opts, "--tasks", 600, 50, 5000),
            longOption(opts, "--seed", 20261129L), intOption(opts, "--overhead-rounds", 3000, 10, 100_000),
            intOption(opts, "--adaptive-runs", 5, 3, 100), intOption(opts, "--data-path-mib", 512, 16, 4096),
            io.fabricstitch.benchmarks.Flags.file("--markdown", opts.get("--markdown")));
    }

    /** Whether {@code part} runs. */
    public boolean runs(Part part) {
        return parts.contains(part);
    }

    private static int intOption(Map<String, String> opts, String key, int dflt, int min, int max) {
        return io.fabricstitch.benchmarks.Flags.intValue(key, opts.get(key), dflt, min, max);
    }

    private static long longOption(Map<String, String> opts, String key, long dflt) {
        String v = opts.get(key);
        if (v == null)
            return dflt;
        try {
            return Long.parseLong(v.trim());
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' (expected: an integer)");
        }
    }
}
