package dev.sextant.server.traces;

import java.util.concurrent.TimeUnit;

/**
 * Whether a worker had work for nearly all of the last full second, i.e. it is saturated: it
 * spent less than a tenth of that second waiting. Not thread-safe; used by the one writer thread.
 */
final class BusyMeter {
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private long windowStart;
    private long idleNanos;
    private boolean saturated;

    BusyMeter(long nowNanos) {
        this.windowStart = nowNanos;
    }

    /** Records time spent waiting for work. */
    void idled(long nanos) {
        idleNanos += nanos;
    }

    /** The verdict on the last full window, starting a new window when a second has passed. */
    boolean saturated(long nowNanos) {
        long elapsed = nowNanos - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            saturated = idleNanos < elapsed / 10;
            windowStart = nowNanos;
            idleNanos = 0;
        }
        return saturated;
    }
}
