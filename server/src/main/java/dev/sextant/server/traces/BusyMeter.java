package dev.sextant.server.traces;

import java.util.concurrent.TimeUnit;

/**
 * How much of the last full second a worker spent waiting for work: near 0 means it is saturated.
 * Not thread-safe; used by the one writer thread.
 */
final class BusyMeter {
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private long windowStart;
    private long idleNanos;
    /** Idle until a first window says otherwise. */
    private double idleShare = 1;

    BusyMeter(long nowNanos) {
        this.windowStart = nowNanos;
    }

    /** Records time spent waiting for work. */
    void idled(long nanos) {
        idleNanos += nanos;
    }

    /** The idle share of the last full window, starting a new window when a second has passed. */
    double idleShare(long nowNanos) {
        long elapsed = nowNanos - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            idleShare = Math.min(1, (double) idleNanos / elapsed);
            windowStart = nowNanos;
            idleNanos = 0;
        }
        return idleShare;
    }
}
