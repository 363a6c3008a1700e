package dev.sextant.server.models;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n (1-based) waits a random time in
 * [base·2^(n-1)/2, base·2^(n-1)], capped at {@code maxDelay}; a provider's Retry-After wins when longer.
 * A Retry-After beyond {@code maxRetryAfter} is not waited for: the call fails at once.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(20),
            Duration.ofSeconds(60));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, baseDelay, maxDelay, maxRetryAfter);
    }

    /** The wait before the next attempt, after {@code attempt} failed; empty when the provider asks too much. */
    Optional<Duration> delay(int attempt, Duration retryAfter, RandomGenerator random) {
        if (retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0) {
            return Optional.empty();
        }
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        long backoff = ceiling / 2 + (ceiling / 2 > 0 ? random.nextLong(ceiling - ceiling / 2 + 1) : 0);
        long wait = retryAfter == null ? backoff : Math.max(backoff, retryAfter.toMillis());
        return Optional.of(Duration.ofMillis(wait));
    }

    /** How the gateway waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = duration -> Thread.sleep(duration);

        void sleep(Duration duration) throws InterruptedException;
    }
}
