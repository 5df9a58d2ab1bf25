package io.fabricstitch.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a set of samples, sorted once. */
public final class Percentiles {
    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    /** The samples' percentiles; at least one sample. */
    public static Percentiles of(Collection<Double> samples) {
        return of(samples.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The samples' percentiles; at least one sample (the array is copied). */
    public static Percentiles of(double... samples) {
        if (samples.length == 0)
            throw new IllegalArgumentException("samples: none (expected: at least one)");
        double[] s = samples.clone();
        Arrays.sort(s);
        return new Percentiles(s);
    }

    /**
     * The nearest-rank {@code p}-th percentile: the smallest sample with at least {@code p}% of the samples at or
     * below it ({@code p} = 0 gives the minimum).
     */
    public double at(double p) {
        if (!(p >= 0 && p <= 100))
            throw new IllegalArgumentException("percentile: " + p + " (expected: 0..100)");
        int rank = (int)Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The median: the mean of the two middle samples for an even count. */
    public double median() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public double min() {
        return sorted[0];
    }

    public double max() {
        return sorted[sorted.length - 1];
    }

    public int count() {
        return sorted.length;
    }
}
