package dev.sextant.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(400), Duration.ofSeconds(3),
            Duration.ofSeconds(30));

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        SplittableRandom random = new SplittableRandom(1);
        for (int attempt = 1; attempt <= 5; attempt++) {
            long ceiling = Math.min(3000, 400L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                assertThat(policy.delay(attempt, null, random)).hasValueSatisfying(
                        d -> assertThat(d.toMillis()).isBetween(ceiling / 2, ceiling));
            }
        }
    }

    @Test
    void retryAfterIsAFloorAndTooLongARetryAfterIsNotWaitedFor() {
        SplittableRandom random = new SplittableRandom(1);
        assertThat(policy.delay(1, Duration.ofSeconds(5), random)).contains(Duration.ofSeconds(5));
        assertThat(policy.delay(1, Duration.ofSeconds(31), random)).isEmpty();
    }
}
