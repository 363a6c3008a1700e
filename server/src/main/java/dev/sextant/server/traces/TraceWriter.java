package dev.sextant.server.traces;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.Dialect;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread takes whatever batches are waiting and commits them in one
 * transaction; each batch's future completes once that commit is on disk ({@link
 * dev.sextant.server.db.LogSync}: on SQLite the sync runs while the next transaction is built).
 * Callers acknowledge only after that. The queue
 * is bounded by a span budget; when it is spent, {@link #submit} refuses at once instead of
 * letting memory grow, and the caller answers 429 with Retry-After.
 */
final class TraceWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TraceWriter.class);
    private static final long IDLE_POLL_MILLIS = 200;
    /** Waiting less than this share of the last second: checkpoints favour throughput. */
    private static final double SATURATED = 0.1;
    /** Waiting at least this share: spare time goes to the search index. */
    private static final double SEARCH_HEADROOM = 0.3;

    private record Pending(IngestBatch batch, CompletableFuture<Void> done) {
    }

    /** Thrown when the queue is full; the caller should retry later. */
    static final class QueueFullException extends RuntimeException {
        QueueFullException() {
            super("ingestion queue is full; retry later", null, false, false);
        }
    }

    private final Database database;
    private final TraceWrites writes;
    private final Clock clock;
    private final int maxSpansPerCommit;
    private final int capacity;
    private final Semaphore budget;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** SQLite only: PostgreSQL maintains its search index inline. */
    private final boolean fillsSearchIndex;
    private final BusyMeter busy = new BusyMeter(System.nanoTime());
    private final Thread thread;

    TraceWriter(Database database, Clock clock, int queueSpans, int maxSpansPerCommit, String threadName) {
        this.database = database;
        this.writes = new TraceWrites(database.dialect());
        this.fillsSearchIndex = database.dialect() == Dialect.SQLITE;
        this.clock = clock;
        this.maxSpansPerCommit = maxSpansPerCommit;
        this.capacity = queueSpans;
        this.budget = new Semaphore(queueSpans);
        this.thread = Thread.ofPlatform().name(threadName).daemon().start(this::loop);
    }

    /** Queues a batch; the future completes once it is committed. */
    CompletableFuture<Void> submit(IngestBatch batch) {
        // A batch larger than the whole queue may still go through alone.
        int permits = Math.min(batch.size(), capacity);
        if (!running.get() || !budget.tryAcquire(permits)) {
            throw new QueueFullException();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((ok, error) -> budget.release(permits));
        queue.add(new Pending(batch, done));
        return done;
    }

    private void loop() {
        List<Pending> group = new ArrayList<>();
        boolean searchPending = fillsSearchIndex;
        while (running.get() || !queue.isEmpty()) {
            try {
                // The search index is filled in turns when no spans are waiting, and only while the
                // writer has clear headroom: indexing costs about a third of writing a one-span trace,
                // so under heavy ingestion search falls behind (and matches the newest traces by
                // substring) rather than ingestion slowing down.
                boolean indexing = searchPending && busy.idleShare(System.nanoTime()) >= SEARCH_HEADROOM;
                long waitStart = System.nanoTime();
                Pending first = indexing ? queue.poll() : queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                busy.idled(System.nanoTime() - waitStart);
                if (first == null) {
                    searchPending = fillsSearchIndex && (!indexing || indexSearchChunk());
                    continue;
                }
                group.add(first);
                int spans = first.batch().size();
                Pending next;
                while (spans < maxSpansPerCommit && (next = queue.poll()) != null) {
                    group.add(next);
                    spans += next.batch().size();
                }
                commit(group);
                searchPending = fillsSearchIndex;
                database.yieldToCheckpoint(busy.idleShare(System.nanoTime()) < SATURATED);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                group.clear();
            }
        }
        queue.forEach(p -> p.done().completeExceptionally(new IllegalStateException("server is shutting down")));
    }

    /** Indexes one chunk of pending traces for search; false once none are left (or it fails). */
    private boolean indexSearchChunk() {
        try {
            return database.jdbi().inTransaction(TraceSearch::indexPending) == TraceSearch.INDEX_CHUNK;
        } catch (RuntimeException e) {
            // Search lags (pending traces are still found by substring); ingestion goes on.
            LOG.warn("indexing traces for search failed: {}", e.toString());
            return false;
        }
    }

    private void commit(List<Pending> group) {
        try {
            database.useTransactionUnsynced(h -> {
                for (Pending p : group) {
                    writes.write(h, p.batch(), clock.instant());
                }
            });
            database.logSync().whenDurable(group.stream().map(Pending::done).toList());
        } catch (RuntimeException groupFailure) {
            if (group.size() == 1) {
                LOG.warn("trace batch failed: {}", groupFailure.toString());
                group.getFirst().done().completeExceptionally(groupFailure);
                return;
            }
            // One bad batch must not fail its neighbours: retry them one by one.
            for (Pending p : group) {
                commit(List.of(p));
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
