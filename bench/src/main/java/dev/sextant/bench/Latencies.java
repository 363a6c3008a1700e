package dev.sextant.bench;

import java.util.Arrays;
import java.util.Locale;

/** Collected latencies in microseconds, with percentiles. */
final class Latencies {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    synchronized int count() {
        return size;
    }

    synchronized String summary() {
        if (size == 0) {
            return "no samples";
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  (n=%d)",
                at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[size - 1] / 1000.0, size);
    }

    private static double at(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }
}
