package io.fabricstitch.ignite.compute;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricType;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code Cost = LatencyWeight * NetworkLatency + ResourceWeight * ResourceCost}, nothing more; for a task whose size
 * is known and whose function's rate has been learned, {@code NetworkLatency + ExpectedServiceTime} in the first
 * term (see {@link #terms(CostWeights, double, double, FabricType, double, long, long, long)}).
 * <ul>
 *     <li>{@code NetworkLatency}: milliseconds from the task's origin to the fabric: the measured round trip to the
 *     fabric's node ({@link LatencyMatrix}) plus the fabric's own {@code LATENCY_MS}; see {@link FabricSelector}.</li>
 *     <li>{@code ResourceCost}: the fabric's utilization after placing the task, {@code (count - free + amount) /
 *     count} in 0..1, times the price of the fabric's type (default 1.0 for every type); with
 *     {@link #perSpeed(boolean) per-speed prices}, that price divided by the fabric's speed for the task's function
 *     (its speed factor for a closure), so that a slot of a fabric twice as fast at it costs half as much.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class CostFunction implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default price of every fabric type. */
    public static final double DFLT_PRICE = 1.0;

    private static final FabricType[] TYPES = FabricType.values();

    private final double[] prices = new double[TYPES.length];
    private final boolean perSpeed;

    private CostFunction(Map<FabricType, Double> prices) {
        for (FabricType t : TYPES) {
            Double p = prices.get(t);
            this.prices[t.ordinal()] = p == null ? DFLT_PRICE : Checks.nonNegative(p, "price of " + t);
        }
        this.perSpeed = false;
    }

    private CostFunction(CostFunction f, boolean perSpeed) {
        System.arraycopy(f.prices, 0, prices, 0, prices.length);
        this.perSpeed = perSpeed;
    }

    /** These prices, divided by each fabric's speed factor when {@code perSpeed}. */
    public CostFunction perSpeed(boolean perSpeed) {
        return perSpeed == this.perSpeed ? this : new CostFunction(this, perSpeed);
    }

    /** Whether prices are divided by the fabric's speed factor. */
    public boolean isPerSpeed() {
        return perSpeed;
    }

    /** Every type at price {@value #DFLT_PRICE}. */
    public static CostFunction standard() {
        return new CostFunction(Map.of());
    }

    /** Given prices per type; types not named keep {@value #DFLT_PRICE}. */
    public static CostFunction withPrices(Map<FabricType, Double> prices) {
        return new CostFunction(Checks.notNull(prices, "prices"));
    }

    /**
     * Parses a price spec such as {@code GPU=2.0, FPGA=1.5}; blank means every type at the default price.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static CostFunction parse(String spec) {
        Map<FabricType, Double> prices = new EnumMap<>(FabricType.class);
        if (spec == null || spec.isBlank())
            return standard();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0)
                throw new IllegalArgumentException("fabricPrices: '" + p + "' (expected: TYPE=price, e.g. GPU=2.0)");
            FabricType type;
            try {
                type = FabricType.parse(p.substring(0, eq).trim());
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fabricPrices: " + e.getMessage(), e);
            }
            if (prices.containsKey(type))
                throw new IllegalArgumentException("fabricPrices: " + type + " given twice");
            String value = p.substring(eq + 1).trim();
            try {
                prices.put(type, Checks.nonNegative(Double.parseDouble(value), "fabricPrices " + type));
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("fabricPrices " + type + ": '" + value
                    + "' (expected: a number >= 0)");
            }
        }
        return withPrices(prices);
    }

    /** The price of one fabric type. */
    public double price(FabricType type) {
        return prices[type.ordinal()];
    }

    /** Price by type ordinal and speed (the fabric's for the task's function), for tight loops. */
    public double priceOf(int typeOrdinal, double speed) {
        return perSpeed && speed > 0 ? prices[typeOrdinal] / speed : prices[typeOrdinal];
    }

    /** Utilization of a fabric of {@code count} units with {@code free} free once {@code amount} more are taken. */
    public static double utilizationAfter(long count, long free, long amount) {
        return Math.min(1.0, (double)(count - free + amount) / count);
    }

    /** The cost and its two terms for placing {@code amount} units on a fabric of speed factor 1. */
    public CostTerms terms(CostWeights w, double latencyMs, FabricType type, long count, long free, long amount) {
        return terms(w, latencyMs, type, 1.0, count, free, amount);
    }

    /** The cost and its two terms for placing {@code amount} units on a fabric of speed factor {@code speed}. */
    public CostTerms terms(CostWeights w, double latencyMs, FabricType type, double speed, long count, long free,
        long amount) {
        return terms(w, latencyMs, 0, type, speed, count, free, amount);
    }

    /**
     * The cost and its two terms for placing {@code amount} units, expected to be served in {@code serviceMs} on this
     * fabric (0 when unknown), on a fabric of speed factor {@code speed}: the latency term weighs the time to the
     * result, {@code latencyMs + serviceMs}.
     */
    public CostTerms terms(CostWeights w, double latencyMs, double serviceMs, FabricType type, double speed, long count,
        long free, long amount) {
        double util = utilizationAfter(count, free, amount);
        double price = priceOf(type.ordinal(), speed);
        return new CostTerms(latencyMs, serviceMs, util, price, w.latencyWeight() * (latencyMs + serviceMs),
            w.resourceWeight() * util * price);
    }

    /** The spec {@link #parse} reads. */
    public String spec() {
        StringJoiner j = new StringJoiner(", ");
        for (FabricType t : TYPES)
            j.add(t + "=" + prices[t.ordinal()]);
        return j.toString();
    }

    @Override
    public String toString() {
        return "CostFunction [" + spec() + (perSpeed ? ", per speed factor" : "") + ']';
    }
}
