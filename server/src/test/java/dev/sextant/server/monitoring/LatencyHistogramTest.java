package dev.sextant.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    /** percentile_cont over sorted values. */
    private static double exact(long[] sorted, double p) {
        double rank = p * (sorted.length - 1);
        int lower = (int) Math.floor(rank);
        double fraction = rank - lower;
        return lower + 1 < sorted.length ? sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower])
                : sorted[lower];
    }

    @Test
    void everyBucketValueIsWithinOnePercentOfItsLatencies() {
        for (long ms = 0; ms < 2_000_000; ms += ms < 10_000 ? 1 : 997) {
            double value = LatencyHistogram.value(LatencyHistogram.index(ms));
            assertThat(Math.abs(value - ms)).as("%d ms", ms).isLessThanOrEqualTo(LatencyHistogram.RELATIVE_ERROR * ms);
        }
        assertThat(LatencyHistogram.value(LatencyHistogram.index(-5))).isZero();
    }

    @Test
    void mergedAndDecodedHistogramsGivePercentilesWithinOnePercent() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(3_000);
            long[] values = new long[n];
            LatencyHistogram a = new LatencyHistogram();
            LatencyHistogram b = new LatencyHistogram();
            for (int i = 0; i < n; i++) {
                values[i] = random.nextInt(10) == 0 ? random.nextInt(100) : (long) Math.exp(4 + random.nextDouble() * 9);
                (i % 2 == 0 ? a : b).add(values[i], 1);
            }
            LatencyHistogram merged = new LatencyHistogram();
            merged.mergeEncoded(a.encode());
            merged.mergeEncoded(b.encode());
            Arrays.sort(values);
            assertThat(merged.total()).isEqualTo(n);
            for (double p : new double[] {0, 0.5, 0.95, 0.99, 1}) {
                double expected = exact(values, p);
                assertThat(merged.quantile(p)).as("p%s of %d", p, n)
                        .isCloseTo(expected, within(LatencyHistogram.RELATIVE_ERROR * expected + 1e-9));
            }
        }
    }

    @Test
    void anEmptyHistogramHasNoPercentileAndNoEncoding() {
        LatencyHistogram empty = new LatencyHistogram();
        assertThat(empty.quantile(0.5)).isNull();
        assertThat(empty.encode()).isNull();
        empty.mergeEncoded(null);
        assertThat(empty.total()).isZero();
    }
}
