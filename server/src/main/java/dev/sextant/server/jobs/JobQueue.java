package dev.sextant.server.jobs;

import dev.sextant.server.auth.Secrets;
import dev.sextant.server.db.Database;
import dev.sextant.server.db.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable job queue in the database with workers on virtual threads. Jobs survive restarts;
 * a worker that dies leaves its lease to expire, after which any process picks the job up again.
 * Failed attempts are retried with exponential backoff up to the job's attempt limit.
 */
public final class JobQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobQueue.class);
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration BASE_BACKOFF = Duration.ofSeconds(2);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final JobStore store;
    private final Database database;
    private final Clock clock;
    private final Duration lease;
    private final int workers;
    private final String owner = "worker-" + Secrets.randomToken(10);
    private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService executor;

    public JobQueue(Database database, Clock clock, Duration lease, int workers) {
        this.database = database;
        this.store = new JobStore(database.jdbi(), database.dialect());
        this.clock = clock;
        this.lease = lease;
        this.workers = workers;
    }

    /** Registers the handler of a job kind; register all kinds before {@link #start()}. */
    public void register(String kind, JobHandler handler) {
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalStateException("job kind already registered: " + kind);
        }
    }

    public String enqueue(String kind, String payload) {
        return database.jdbi().inTransaction(h -> enqueue(h, kind, payload, clock.instant(), DEFAULT_MAX_ATTEMPTS));
    }

    /** Enqueues inside the caller's transaction, so the job exists exactly when the caller's change does. */
    public String enqueue(Handle h, String kind, String payload, Instant runAfter, int maxAttempts) {
        Instant now = clock.instant();
        Job job = new Job(Ids.newId(), kind, payload, Job.Status.QUEUED, 0, maxAttempts, runAfter, null, null,
                null, now);
        store.insert(h, job);
        // A worker woken before the commit would not see the job yet and sleep a whole idle poll.
        if (h.isInTransaction()) {
            h.afterCommit(wakeUp::release);
        } else {
            wakeUp.release();
        }
        return job.id();
    }

    public Optional<Job> find(String id) {
        return store.byId(id);
    }

    public int count(Job.Status status) {
        return store.countByStatus(status);
    }

    public void start() {
        if (workers <= 0 || !running.compareAndSet(false, true)) {
            return;
        }
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sextant-job-", 0).factory());
        for (int i = 0; i < workers; i++) {
            executor.submit(this::workLoop);
        }
    }

    private void workLoop() {
        while (running.get()) {
            try {
                List<Job> claimed = claimOne();
                if (claimed.isEmpty()) {
                    wakeUp.tryAcquire(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                claimed.forEach(this::run);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running.get()) {
                    LOG.warn("job worker could not poll the queue: {}", e.getMessage());
                    sleepQuietly(IDLE_POLL);
                }
            }
        }
    }

    private List<Job> claimOne() {
        Instant now = clock.instant();
        return store.claim(owner, now, now.plus(lease), 1);
    }

    /** Runs one claimed job; public for tests that drive the queue without worker threads. */
    void run(Job job) {
        JobHandler handler = handlers.get(job.kind());
        if (handler == null) {
            store.fail(job.id(), owner, "no handler for job kind " + job.kind(), clock.instant(), true,
                    clock.instant());
            return;
        }
        try {
            handler.handle(job);
            store.complete(job.id(), owner, clock.instant());
        } catch (Exception e) {
            boolean giveUp = job.attempts() >= job.maxAttempts();
            Instant retryAt = clock.instant().plus(backoff(job.attempts()));
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("job {} ({}) attempt {}/{} failed: {}", job.id(), job.kind(), job.attempts(),
                    job.maxAttempts(), error);
            store.fail(job.id(), owner, error, retryAt, giveUp, clock.instant());
        }
    }

    /** Processes ready jobs on the calling thread until none is left; for tests and CLI tools. */
    public int drain() {
        int processed = 0;
        List<Job> claimed;
        while (!(claimed = claimOne()).isEmpty()) {
            claimed.forEach(this::run);
            processed += claimed.size();
        }
        return processed;
    }

    /** Keeps a long-running job's lease alive. */
    public boolean heartbeat(Job job) {
        return store.extendLease(job.id(), owner, clock.instant().plus(lease));
    }

    static Duration backoff(int attempt) {
        long factor = 1L << Math.min(Math.max(attempt - 1, 0), 20);
        Duration delay = BASE_BACKOFF.multipliedBy(factor);
        Duration capped = delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
        // Up to 20 % jitter so that failed jobs do not retry in lockstep.
        long jitter = (long) (capped.toMillis() * 0.2 * Math.random());
        return capped.plusMillis(jitter);
    }

    /** Deletes finished jobs older than {@code age}; failed ones are kept for inspection. */
    public int purgeFinished(Duration age) {
        return store.deleteFinishedBefore(clock.instant().minus(age));
    }

    public List<String> kinds() {
        return new ArrayList<>(handlers.keySet());
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        wakeUp.release(workers);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
