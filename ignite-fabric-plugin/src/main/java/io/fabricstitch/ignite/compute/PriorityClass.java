package io.fabricstitch.ignite.compute;

import io.fabricstitch.internal.Checks;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named pair of {@link CostWeights}, written as a one-line spec that works the same in Spring XML, on the command
 * line and in the docs:
 * <pre>{@code latency-critical: latencyWeight=1.0, resourceWeight=0.5}</pre>
 * Keys are {@code latencyWeight} (cost points per ms) and {@code resourceWeight} (cost points per full
 * utilization); both are required, unknown or repeated keys are refused by name. Immutable.
 */
public final class PriorityClass implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Name of the default class for latency-sensitive work: 1 ms of latency weighs as much as 2 full fabrics. */
    public static final String LATENCY_CRITICAL = "latency-critical";

    /** Name of the class used when a request names none: 10 ms of latency weigh as much as one full fabric. */
    public static final String BALANCED = "balanced";

    /** Name of the default class for throughput work: 100 ms of latency weigh as much as one full fabric. */
    public static final String BATCH = "batch";

    private static final String KEY_LATENCY = "latencyWeight";
    private static final String KEY_RESOURCE = "resourceWeight";

    private final String name;
    private final CostWeights weights;

    private PriorityClass(String name, CostWeights weights) {
        this.name = Checks.name(name, "priority class name");
        this.weights = Checks.notNull(weights, "weights");
    }

    public static PriorityClass of(String name, CostWeights weights) {
        return new PriorityClass(name, weights);
    }

    /** The three classes every node knows unless its configuration redefines them. */
    public static List<PriorityClass> defaults() {
        return List.of(
            of(LATENCY_CRITICAL, CostWeights.of(1.0, 0.5)),
            of(BALANCED, CostWeights.of(0.1, 1.0)),
            of(BATCH, CostWeights.of(0.01, 1.0)));
    }

    /**
     * Parses {@code name: latencyWeight=W, resourceWeight=W}.
     *
     * @throws IllegalArgumentException naming the spec and what is wrong in it
     */
    public static PriorityClass parse(String spec) {
        if (spec == null)
            throw new IllegalArgumentException("priority class: null (expected: 'name: latencyWeight=W, resourceWeight=W')");
        try {
            int colon = spec.indexOf(':');
            if (colon < 0)
                throw new IllegalArgumentException("no ':' after the name (expected: 'name: latencyWeight=W, "
                    + "resourceWeight=W')");
            String name = spec.substring(0, colon).trim();
            Map<String, Double> values = new LinkedHashMap<>();
            for (String part : spec.substring(colon + 1).split(",")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq < 0)
                    throw new IllegalArgumentException("'" + p + "' (expected: key=number)");
                String key = p.substring(0, eq).trim();
                if (!KEY_LATENCY.equals(key) && !KEY_RESOURCE.equals(key))
                    throw new IllegalArgumentException("unknown key '" + key + "' (expected: " + KEY_LATENCY + " or "
                        + KEY_RESOURCE + ')');
                if (values.containsKey(key))
                    throw new IllegalArgumentException("key '" + key + "' given twice");
                values.put(key, number(key, p.substring(eq + 1).trim()));
            }
            for (String key : List.of(KEY_LATENCY, KEY_RESOURCE)) {
                if (!values.containsKey(key))
                    throw new IllegalArgumentException("missing key '" + key + "'");
            }
            return of(name, CostWeights.of(values.get(KEY_LATENCY), values.get(KEY_RESOURCE)));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("priority class '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static double number(String key, String text) {
        try {
            return Double.parseDouble(text);
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' (expected: a number >= 0)");
        }
    }

    /**
     * The weights a task is placed with: {@code explicit} when given, else those of the class named {@code priority}.
     *
     * @throws IllegalArgumentException naming the unknown class and the known ones
     */
    public static CostWeights weightsFor(Map<String, PriorityClass> classes, CostWeights explicit, String priority) {
        if (explicit != null)
            return explicit;
        PriorityClass pc = classes.get(priority);
        if (pc == null)
            throw new IllegalArgumentException("priority: '" + priority + "' (expected: one of "
                + String.join(", ", classes.keySet()) + ", or explicit weights)");
        return pc.weights();
    }

    public String name() {
        return name;
    }

    public CostWeights weights() {
        return weights;
    }

    /** The spec this class parses from. */
    public String spec() {
        return name + ": " + KEY_LATENCY + '=' + weights.latencyWeight() + ", " + KEY_RESOURCE + '='
            + weights.resourceWeight();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PriorityClass && ((PriorityClass)o).name.equals(name)
            && ((PriorityClass)o).weights.equals(weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, weights);
    }

    @Override
    public String toString() {
        return spec();
    }
}
