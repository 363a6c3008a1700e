package dev.sextant.server.monitoring;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A mergeable latency histogram with fixed buckets: exact milliseconds below 64 ms, then log-spaced
 * buckets growing by 2 % whose representative value is within 0.991 % of every latency in the bucket.
 * Percentiles interpolate between representative values like percentile_cont, so they are within
 * 0.991 % of the exact value. Negative durations count as 0. Stored as varint (index delta, count) pairs.
 */
final class LatencyHistogram {
    private static final int EXACT = 64;
    private static final double GAMMA = 1.02;
    /** The worst relative error of a bucket's value: (GAMMA - 1) / (GAMMA + 1), just under 1 %. */
    static final double RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);
    private static final double LOG_GAMMA = StrictMath.log(GAMMA);

    /** Counts of buckets offset, offset + 1, ...; grown on demand. */
    private long[] counts = new long[0];
    private int offset;
    private long total;

    static int index(long millis) {
        if (millis < EXACT) {
            return (int) Math.max(millis, 0);
        }
        // StrictMath: the same latency lands in the same bucket on every JVM that wrote a rollup.
        return EXACT + (int) StrictMath.floor(StrictMath.log(millis / (double) EXACT) / LOG_GAMMA);
    }

    /** The value minimising the worst relative error over the bucket [low, low * GAMMA). */
    static double value(int index) {
        if (index < EXACT) {
            return index;
        }
        double low = EXACT * StrictMath.pow(GAMMA, index - EXACT);
        return 2 * low * GAMMA / (1 + GAMMA);
    }

    void add(long millis, long count) {
        addToBucket(index(millis), count);
    }

    private void addToBucket(int index, long count) {
        if (count == 0) {
            return;
        }
        if (counts.length == 0) {
            counts = new long[16];
            offset = index;
        } else if (index < offset) {
            int shift = offset - index;
            long[] grown = new long[Math.max(counts.length + shift, counts.length * 2)];
            System.arraycopy(counts, 0, grown, shift, counts.length);
            counts = grown;
            offset = index;
        } else if (index - offset >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(index - offset + 1, counts.length * 2));
        }
        counts[index - offset] += count;
        total += count;
    }

    void merge(LatencyHistogram other) {
        for (int i = 0; i < other.counts.length; i++) {
            addToBucket(other.offset + i, other.counts[i]);
        }
    }

    long total() {
        return total;
    }

    /** Like percentile_cont(p) over the latencies, each replaced by its bucket's value; null when empty. */
    Double quantile(double p) {
        if (total == 0) {
            return null;
        }
        double rank = p * (total - 1);
        long lower = (long) Math.floor(rank);
        double fraction = rank - lower;
        long seen = 0;
        Double low = null;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double v = value(offset + i);
            long next = seen + counts[i];
            if (low == null && lower < next) {
                if (fraction == 0 || lower + 1 < next) {
                    return v;
                }
                low = v;
            } else if (low != null) {
                return low + fraction * (v - low);
            }
            seen = next;
        }
        return low;
    }

    byte[] encode() {
        if (total == 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                writeVarint(out, offset + i - previous);
                writeVarint(out, counts[i]);
                previous = offset + i;
            }
        }
        return out.toByteArray();
    }

    /** Adds an encoded histogram (as written by {@link #encode()}; null is empty). */
    void mergeEncoded(byte[] bytes) {
        if (bytes == null) {
            return;
        }
        int[] position = {0};
        int index = 0;
        while (position[0] < bytes.length) {
            index += (int) readVarint(bytes, position);
            addToBucket(index, readVarint(bytes, position));
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(byte[] bytes, int[] position) {
        long value = 0;
        int shift = 0;
        while (true) {
            byte b = bytes[position[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
    }
}
