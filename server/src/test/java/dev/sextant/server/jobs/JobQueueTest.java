package dev.sextant.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.DatabaseUrl;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.MutableClock;
import dev.sextant.server.support.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobQueueTest {
    @TempDir
    Path dir;

    private Database open(Dialect dialect) {
        return Database.open(DatabaseUrl.parse(TestDatabases.url(dialect, dir), dir), 4);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void workersRunEnqueuedJobsAndMarkThemDone(Dialect dialect) {
        try (Database db = open(dialect);
             JobQueue queue = new JobQueue(db, java.time.Clock.systemUTC(), Duration.ofMinutes(1), 2)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            queue.register("greet", job -> seen.add(job.payload()));
            queue.start();
            String id = queue.enqueue("greet", "{\"name\":\"ada\"}");

            await().atMost(Duration.ofSeconds(10)).until(() -> queue.find(id).orElseThrow().status() == Job.Status.DONE);
            assertThat(seen).containsExactly("{\"name\":\"ada\"}");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aFailingJobIsRetriedAfterABackoffAndThenSucceeds(Dialect dialect) {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Database db = open(dialect); JobQueue queue = new JobQueue(db, clock, Duration.ofMinutes(1), 0)) {
            AtomicInteger calls = new AtomicInteger();
            queue.register("flaky", job -> {
                if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("provider returned 503");
                }
            });
            String id = queue.enqueue("flaky", "{}");

            assertThat(queue.drain()).isEqualTo(1);
            Job afterFirst = queue.find(id).orElseThrow();
            assertThat(afterFirst.status()).isEqualTo(Job.Status.QUEUED);
            assertThat(afterFirst.lastError()).contains("503");
            assertThat(afterFirst.runAfter()).isAfter(clock.instant());
            assertThat(queue.drain()).as("not due before the backoff").isZero();

            clock.advance(Duration.ofMinutes(1));
            queue.drain();
            clock.advance(Duration.ofMinutes(1));
            queue.drain();

            assertThat(calls).hasValue(3);
            Job done = queue.find(id).orElseThrow();
            assertThat(done.status()).isEqualTo(Job.Status.DONE);
            assertThat(done.attempts()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aJobThatKeepsFailingEndsFailedWithItsLastError(Dialect dialect) {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Database db = open(dialect); JobQueue queue = new JobQueue(db, clock, Duration.ofMinutes(1), 0)) {
            queue.register("doomed", job -> {
                throw new IllegalArgumentException("bad payload");
            });
            String id = queue.enqueue("doomed", "{}");
            for (int i = 0; i < JobQueue.DEFAULT_MAX_ATTEMPTS + 2; i++) {
                queue.drain();
                clock.advance(Duration.ofHours(1));
            }
            Job failed = queue.find(id).orElseThrow();
            assertThat(failed.status()).isEqualTo(Job.Status.FAILED);
            assertThat(failed.attempts()).isEqualTo(JobQueue.DEFAULT_MAX_ATTEMPTS);
            assertThat(failed.lastError()).isEqualTo("IllegalArgumentException: bad payload");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aJobWhoseWorkerDiedIsPickedUpAgainAfterItsLeaseExpires(Dialect dialect) {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Database db = open(dialect); JobQueue queue = new JobQueue(db, clock, Duration.ofMinutes(5), 0)) {
            AtomicInteger runs = new AtomicInteger();
            queue.register("report", job -> runs.incrementAndGet());
            String id = queue.enqueue("report", "{}");
            // Another process claims the job and dies without finishing it.
            JobStore store = new JobStore(db.jdbi(), db.dialect());
            assertThat(store.claim("crashed-worker", clock.instant(), clock.instant().plus(Duration.ofMinutes(5)), 1))
                    .hasSize(1);

            assertThat(queue.drain()).as("lease still held").isZero();
            clock.advance(Duration.ofMinutes(6));
            assertThat(queue.drain()).isEqualTo(1);

            assertThat(runs).hasValue(1);
            assertThat(queue.find(id).orElseThrow().status()).isEqualTo(Job.Status.DONE);
            assertThat(store.complete(id, "crashed-worker", clock.instant()))
                    .as("the dead worker can no longer complete it").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void jobsOfAnUnknownKindFailImmediately(Dialect dialect) {
        try (Database db = open(dialect);
             JobQueue queue = new JobQueue(db, java.time.Clock.systemUTC(), Duration.ofMinutes(1), 0)) {
            String id = queue.enqueue("nobody-handles-this", "{}");
            queue.drain();
            assertThat(queue.find(id).orElseThrow().status()).isEqualTo(Job.Status.FAILED);
        }
    }
}
