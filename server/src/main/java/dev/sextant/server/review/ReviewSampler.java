package dev.sextant.server.review;

import dev.sextant.server.db.Database;
import dev.sextant.server.jobs.Job;
import dev.sextant.server.jobs.JobQueue;
import java.time.Clock;
import java.time.Duration;

/**
 * Every few minutes, adds each sampling queue's share of the new traces. Reschedules itself like
 * the retention job, so exactly one run is pending at any time.
 */
public final class ReviewSampler {
    static final String KIND = "review.sample";
    private static final Duration PERIOD = Duration.ofMinutes(5);

    private final ReviewService reviews;
    private final JobQueue jobs;
    private final Database database;
    private final Clock clock;

    public ReviewSampler(ReviewService reviews, JobQueue jobs, Database database, Clock clock) {
        this.reviews = reviews;
        this.jobs = jobs;
        this.database = database;
        this.clock = clock;
    }

    /** Registers the handler and makes sure a run is pending; call before the queue starts. */
    public void register() {
        jobs.register(KIND, this::run);
        scheduleNext();
    }

    private void run(Job job) {
        reviews.sample();
        scheduleNext();
    }

    private void scheduleNext() {
        database.jdbi().useTransaction(h -> {
            int pending = h.createQuery("SELECT COUNT(*) FROM jobs WHERE kind = :k AND status = 'queued'")
                    .bind("k", KIND).mapTo(Integer.class).one();
            if (pending == 0) {
                jobs.enqueue(h, KIND, "{}", clock.instant().plus(PERIOD), JobQueue.DEFAULT_MAX_ATTEMPTS);
            }
        });
    }
}
