package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AimdLimiterTest {

    @Test
    void aRateLimitHalvesTheLimitDownToOne() throws InterruptedException {
        AimdLimiter limiter = new AimdLimiter(32, 4);
        for (int expected : new int[] {16, 8, 4, 2, 1, 1}) {
            limiter.acquire();
            limiter.rateLimited();
            assertThat(limiter.limit()).isEqualTo(expected);
        }
    }

    @Test
    void sustainedSuccessGrowsTheLimitBackByOneUpToTheMaximum() throws InterruptedException {
        AimdLimiter limiter = new AimdLimiter(4, 3);
        limiter.acquire();
        limiter.rateLimited();
        assertThat(limiter.limit()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            limiter.acquire();
            limiter.success();
        }
        assertThat(limiter.limit()).as("not yet a full window of successes").isEqualTo(2);
        limiter.acquire();
        limiter.success();
        assertThat(limiter.limit()).isEqualTo(3);
        for (int i = 0; i < 30; i++) {
            limiter.acquire();
            limiter.success();
        }
        assertThat(limiter.limit()).isEqualTo(4);
    }

    @Test
    void aRateLimitRestartsTheSuccessWindow() throws InterruptedException {
        AimdLimiter limiter = new AimdLimiter(8, 2);
        limiter.acquire();
        limiter.rateLimited();
        limiter.acquire();
        limiter.success();
        limiter.acquire();
        limiter.rateLimited();
        assertThat(limiter.limit()).isEqualTo(2);
        limiter.acquire();
        limiter.success();
        assertThat(limiter.limit()).isEqualTo(2);
    }

    @Test
    void noMoreCallsThanTheLimitAreInFlight() throws InterruptedException {
        AimdLimiter limiter = new AimdLimiter(2, 10);
        limiter.acquire();
        limiter.acquire();
        CountDownLatch third = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                limiter.acquire();
                third.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(third.await(200, TimeUnit.MILLISECONDS)).as("blocked while two are in flight").isFalse();
        limiter.neutral();
        assertThat(third.await(5, TimeUnit.SECONDS)).isTrue();
        waiter.join();
    }

    @Test
    void rejectsAMaximumBelowOne() {
        assertThatThrownBy(() -> new AimdLimiter(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
