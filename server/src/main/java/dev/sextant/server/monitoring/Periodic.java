package dev.sextant.server.monitoring;

import dev.sextant.server.db.Database;
import dev.sextant.server.jobs.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A self-rescheduling job: each run enqueues the next with a later run_after, so at most one run is
 * pending at any time, whichever process runs it. It runs only while {@code active} says there is work
 * (e.g. rules exist), so a server without rules has no rule scans at all; {@link #poke()} restarts it.
 */
final class Periodic {
    private final String kind;
    private final Duration period;
    private final JobQueue jobs;
    private final Database database;
    private final Clock clock;
    private final BooleanSupplier active;
    private final AtomicReference<String> previousRun = new AtomicReference<>();
    private volatile boolean registered;

    Periodic(String kind, Duration period, JobQueue jobs, Database database, Clock clock, BooleanSupplier active) {
        this.active = active;
        this.kind = kind;
        this.period = period;
        this.jobs = jobs;
        this.database = database;
        this.clock = clock;
    }

    /** Registers the work and schedules a run when there is work; call before the queue starts. */
    void register(Runnable work) {
        registered = true;
        jobs.register(kind, job -> {
            try {
                work.run();
            } finally {
                if (active.getAsBoolean()) {
                    schedule(period);
                }
                forgetPreviousRun(job.id());
            }
        });
        if (active.getAsBoolean()) {
            schedule(Duration.ZERO);
        }
    }

    /** Makes sure a run is pending (after a rule was created or resumed); nothing before {@link #register}. */
    void poke() {
        if (registered) {
            schedule(Duration.ZERO);
        }
    }

    /** Deletes the previous run's finished row: a run every few seconds would otherwise pile up in jobs. */
    private void forgetPreviousRun(String current) {
        String previous = previousRun.getAndSet(current);
        if (previous != null) {
            database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM jobs WHERE id = :id AND status = 'done'")
                    .bind("id", previous).execute());
        }
    }

    private void schedule(Duration delay) {
        database.jdbi().useTransaction(h -> {
            // The job API has no "is one pending" query, and a second pending run would double every cycle.
            int pending = h.createQuery("SELECT COUNT(*) FROM jobs WHERE kind = :k AND status = 'queued'")
                    .bind("k", kind).mapTo(Integer.class).one();
            if (pending == 0) {
                jobs.enqueue(h, kind, "{}", clock.instant().plus(delay), JobQueue.DEFAULT_MAX_ATTEMPTS);
            }
        });
    }
}
