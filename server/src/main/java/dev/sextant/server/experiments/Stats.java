package dev.sextant.server.experiments;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics behind scorecards and comparisons: Wilson intervals for pass rates, t intervals for
 * means, a seeded paired bootstrap for differences between runs (Miller 2024, "Adding Error Bars to
 * Evals"), percentiles and the unbiased pass@k estimator.
 */
public final class Stats {
    /** z for a two-sided 95 % interval. */
    static final double Z95 = 1.959963984540054;
    public static final int RESAMPLES = 10_000;
    public static final long SEED = 20240101L;

    private Stats() {
    }

    /** A point estimate with a 95 % interval; {@code low}/{@code high} are NaN when undefined. */
    public record Interval(double estimate, double low, double high) {
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /** Wilson score interval of a proportion {@code passed / n}. */
    public static Interval wilson(int passed, int n) {
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double p = (double) passed / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** Mean with a Student-t 95 % interval. */
    public static Interval mean(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        if (n == 1) {
            return new Interval(mean, Double.NaN, Double.NaN);
        }
        double se = Math.sqrt(variance(values) / n);
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        return new Interval(mean, mean - t * se, mean + t * se);
    }

    /** Sample variance (n - 1 in the denominator); 0 for fewer than two values. */
    public static double variance(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = Arrays.stream(values).average().orElse(0);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }

    /**
     * Mean of {@code b[i] - a[i]} over paired items with a percentile bootstrap 95 % interval: items are
     * resampled with replacement {@code resamples} times from a generator seeded with {@code seed}, so the
     * same data always gives the same interval.
     */
    public static Interval pairedBootstrap(double[] a, double[] b, int resamples, long seed) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples need the same length");
        }
        int n = a.length;
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            diff[i] = b[i] - a[i];
        }
        double observed = Arrays.stream(diff).average().orElse(0);
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += diff[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        return new Interval(observed, sortedPercentile(means, 2.5), sortedPercentile(means, 97.5));
    }

    /** Linear-interpolated percentile (0..100) of unsorted values; NaN when empty. */
    public static double percentile(List<? extends Number> values, double p) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        return sortedPercentile(sorted, p);
    }

    static double sortedPercentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /** Unbiased pass@k from n samples of which c passed (Chen et al. 2021): 1 - C(n-c, k) / C(n, k). */
    public static double passAtK(int n, int c, int k) {
        if (k > n) {
            throw new IllegalArgumentException("k must not exceed n");
        }
        if (n - c < k) {
            return 1.0;
        }
        double product = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            product *= 1.0 - (double) k / i;
        }
        return 1.0 - product;
    }
}
