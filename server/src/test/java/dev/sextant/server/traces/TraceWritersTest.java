package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.DatabaseUrl;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PostgreSQL's several trace writers: every part of a batch is stored, and a trace's batches keep their order. */
class TraceWritersTest {
    private static final int TRACES = 200;

    private static SpanRecord span(String id, String traceId, String name) {
        return new SpanRecord(id, traceId, null, "llm", name, null, null, null, null, null, null, null, null, null,
                null, Instant.parse("2026-11-28T10:00:00Z"), null, "ok", null, null, null, null);
    }

    @Test
    void aBatchIsSplitByTraceAndEveryTracesUpdatesLandInTheOrderTheyCame() throws Exception {
        assertThat(TraceWriters.POSTGRES_WRITERS).isGreaterThan(1);
        Path dir = Files.createTempDirectory("sextant-writers-");
        try (Database db = Database.open(DatabaseUrl.parse(TestDatabases.url(Dialect.POSTGRES, dir), dir), 6)) {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO projects (id, slug, name, created_at) VALUES ('p', 'p', 'P', 0)"));
            try (TraceWriters writers = new TraceWriters(db, Clock.systemUTC(), 100_000, 5_000)) {
                // One batch of many traces (split among the writers), then 20 renames of every span,
                // all queued without waiting: later values win only if each trace stays in order.
                List<CompletableFuture<Void>> commits = new ArrayList<>();
                for (int version = 0; version <= 20; version++) {
                    List<SpanRecord> spans = new ArrayList<>();
                    for (int t = 0; t < TRACES; t++) {
                        String trace = "%032x".formatted(t + 1);
                        spans.add(span("%016x".formatted(1), trace, "v" + version));
                        spans.add(span("%016x".formatted(2), trace, "v" + version));
                    }
                    commits.add(writers.submit(new IngestBatch("p", spans, List.of())));
                }
                CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
            List<String> names = db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT name FROM spans")
                    .mapTo(String.class).list());
            assertThat(names).containsExactly("v20");
            int counted = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM traces WHERE span_count = 2")
                    .mapTo(Integer.class).one());
            assertThat(counted).isEqualTo(TRACES);
        }
    }
}
