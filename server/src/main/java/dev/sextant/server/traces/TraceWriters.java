package dev.sextant.server.traces;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.Dialect;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * The trace writers: one on SQLite, which commits one writer at a time anyway, and several on
 * PostgreSQL, which commits concurrent writers in parallel (one writer connection kept a database
 * core busy and nothing else). A trace always goes to the same writer, so its batches are written
 * in the order they came and no two writers touch the same rows.
 */
final class TraceWriters implements AutoCloseable {
    /** PostgreSQL writers: one per core of this machine, between 2 and 4. */
    static final int POSTGRES_WRITERS = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 4);

    private final List<TraceWriter> writers;

    TraceWriters(Database database, Clock clock, int queueSpans, int maxSpansPerCommit) {
        int n = database.dialect() == Dialect.SQLITE ? 1 : POSTGRES_WRITERS;
        this.writers = IntStream.range(0, n).mapToObj(i -> new TraceWriter(database, clock, queueSpans / n,
                maxSpansPerCommit, n == 1 ? "sextant-trace-writer" : "sextant-trace-writer-" + i)).toList();
    }

    /** Queues a batch, split by trace among the writers; the future completes once every part is committed. */
    CompletableFuture<Void> submit(IngestBatch batch) {
        if (writers.size() == 1) {
            return writers.getFirst().submit(batch);
        }
        List<List<SpanRecord>> spans = parts();
        List<List<TracePatch>> traces = parts();
        batch.spans().forEach(s -> spans.get(writerOf(s.traceId())).add(s));
        batch.traces().forEach(t -> traces.get(writerOf(t.id())).add(t));
        List<CompletableFuture<Void>> commits = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            if (!spans.get(i).isEmpty() || !traces.get(i).isEmpty()) {
                commits.add(writers.get(i).submit(new IngestBatch(batch.projectId(), spans.get(i), traces.get(i))));
            }
        }
        return CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new));
    }

    private <T> List<List<T>> parts() {
        List<List<T>> parts = new ArrayList<>(writers.size());
        writers.forEach(w -> parts.add(new ArrayList<>()));
        return parts;
    }

    private int writerOf(String traceId) {
        return Math.floorMod(traceId.hashCode(), writers.size());
    }

    @Override
    public void close() {
        writers.forEach(TraceWriter::close);
    }
}
