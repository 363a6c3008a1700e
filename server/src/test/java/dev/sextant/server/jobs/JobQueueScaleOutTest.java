package dev.sextant.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.TestDatabases;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobQueueScaleOutTest {

    @Test
    void twoServerProcessesOnOnePostgresProcessEveryJobExactlyOnce() {
        String db = TestDatabases.newPostgresDatabase();
        Map<ConfigKey, String> shared = Map.of(ConfigKey.DB_URL, db, ConfigKey.JOB_WORKERS, "4");
        try (TestServer first = TestServer.start(Dialect.POSTGRES, shared);
             TestServer second = TestServer.start(Dialect.POSTGRES, shared)) {
            Map<String, AtomicInteger> runsPerJob = new ConcurrentHashMap<>();
            AtomicInteger byFirst = new AtomicInteger();
            AtomicInteger bySecond = new AtomicInteger();
            first.services().jobs().register("count", job -> record(job, runsPerJob, byFirst));
            second.services().jobs().register("count", job -> record(job, runsPerJob, bySecond));

            int jobs = 300;
            for (int i = 0; i < jobs; i++) {
                (i % 2 == 0 ? first : second).services().jobs().enqueue("count", "{\"n\":" + i + "}");
            }

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> first.services().jobs().count(Job.Status.DONE) == jobs);
            assertThat(runsPerJob).hasSize(jobs);
            assertThat(runsPerJob.values()).allSatisfy(runs -> assertThat(runs).hasValue(1));
            assertThat(byFirst.get() + bySecond.get()).isEqualTo(jobs);
            assertThat(byFirst).as("first process did some of the work").hasPositiveValue();
            assertThat(bySecond).as("second process did some of the work").hasPositiveValue();
        }
    }

    private static void record(Job job, Map<String, AtomicInteger> runs, AtomicInteger byProcess)
            throws InterruptedException {
        runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
        byProcess.incrementAndGet();
        Thread.sleep(15);
    }
}
