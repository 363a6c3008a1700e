package dev.sextant.server.experiments;

/**
 * Additive-increase / multiplicative-decrease concurrency limit: a rate limit halves the allowed number
 * of calls in flight (never below 1); every {@code window} successes in a row add one back (never above
 * the configured maximum). Callers take a permit before a call and report how it ended.
 */
public final class AimdLimiter {
    private final int max;
    private final int window;
    private int limit;
    private int inFlight;
    private int successes;

    public AimdLimiter(int max, int window) {
        if (max < 1 || window < 1) {
            throw new IllegalArgumentException("max and window must be at least 1");
        }
        this.max = max;
        this.window = window;
        this.limit = max;
    }

    public synchronized void acquire() throws InterruptedException {
        while (inFlight >= limit) {
            wait();
        }
        inFlight++;
    }

    /** The call succeeded: after {@code window} successes in a row, allow one more concurrent call. */
    public synchronized void success() {
        release();
        if (++successes >= window && limit < max) {
            limit++;
            successes = 0;
        }
    }

    /** The provider rate-limited the call: halve the limit. */
    public synchronized void rateLimited() {
        release();
        successes = 0;
        limit = Math.max(1, limit / 2);
    }

    /** The call ended in a way that says nothing about the rate (e.g. another error). */
    public synchronized void neutral() {
        release();
    }

    public synchronized int limit() {
        return limit;
    }

    private void release() {
        inFlight--;
        notifyAll();
    }
}
