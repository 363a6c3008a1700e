package dev.sextant.server.traces;

import dev.sextant.server.db.Database;
import dev.sextant.server.jobs.Job;
import dev.sextant.server.jobs.JobQueue;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily job deleting traces older than each project's retention. It reschedules itself by
 * enqueueing its next run with a later run_after, so exactly one run is pending at any time.
 */
public final class TraceRetention {
    static final String KIND = "traces.retention";
    private static final Logger LOG = LoggerFactory.getLogger(TraceRetention.class);
    private static final Duration PERIOD = Duration.ofDays(1);

    private final TraceService traces;
    private final JobQueue jobs;
    private final Database database;
    private final Clock clock;

    public TraceRetention(TraceService traces, JobQueue jobs, Database database, Clock clock) {
        this.traces = traces;
        this.jobs = jobs;
        this.database = database;
        this.clock = clock;
    }

    /**
     * Registers the handler and makes sure a run is pending; call before the queue starts. The
     * first run is a period after the first start: a new server has nothing old to delete.
     */
    public void register() {
        jobs.register(KIND, this::run);
        scheduleNext(PERIOD);
    }

    private void run(Job job) {
        int deleted = traces.enforceRetention();
        if (deleted > 0) {
            LOG.info("retention deleted {} traces", deleted);
        }
        scheduleNext(PERIOD);
    }

    private void scheduleNext(Duration delay) {
        database.jdbi().useTransaction(h -> {
            // Read the queue table directly: the job API has no "is one pending" query, and a
            // second pending run would double on every cycle.
            int pending = h.createQuery("SELECT COUNT(*) FROM jobs WHERE kind = :k AND status = 'queued'")
                    .bind("k", KIND).mapTo(Integer.class).one();
            if (pending == 0) {
                jobs.enqueue(h, KIND, "{}", clock.instant().plus(delay), JobQueue.DEFAULT_MAX_ATTEMPTS);
            }
        });
    }
}
