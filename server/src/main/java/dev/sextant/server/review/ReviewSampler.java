package dev.sextant.server.review;

import dev.sextant.server.jobs.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;

/**
 * Runs the sampling rules every few minutes while some queue has one. The job reschedules itself
 * like the retention job, so at most one run is pending; it stops when no queue samples any more.
 */
public final class ReviewSampler {
    static final String KIND = "review.sample";
    private static final Duration PERIOD = Duration.ofMinutes(5);

    private final JobQueue jobs;
    private final Clock clock;

    public ReviewSampler(JobQueue jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Registers the handler (call before the queue starts) and schedules a run if one is needed. */
    public void register(Runnable sample, BooleanSupplier needed, org.jdbi.v3.core.Jdbi jdbi) {
        jobs.register(KIND, job -> {
            sample.run();
            if (needed.getAsBoolean()) {
                jdbi.useTransaction(this::ensureScheduled);
            }
        });
        if (needed.getAsBoolean()) {
            jdbi.useTransaction(this::ensureScheduled);
        }
    }

    /** Makes sure a run is pending, in the caller's transaction (e.g. with a new sampling queue). */
    void ensureScheduled(Handle h) {
        // Read the queue table directly: the job API has no "is one pending" query.
        int pending = h.createQuery("SELECT COUNT(*) FROM jobs WHERE kind = :k AND status = 'queued'")
                .bind("k", KIND).mapTo(Integer.class).one();
        if (pending == 0) {
            jobs.enqueue(h, KIND, "{}", clock.instant().plus(PERIOD), JobQueue.DEFAULT_MAX_ATTEMPTS);
        }
    }
}
