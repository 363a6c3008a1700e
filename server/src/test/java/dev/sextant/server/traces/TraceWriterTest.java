package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.DatabaseUrl;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TraceWriterTest {

    private static SpanRecord span(String id) {
        return new SpanRecord(id, "0af7651916cd43dd8448eb211c80319c", null, "llm", "s", null, null, null, null, null,
                null, null, null, null, null, Instant.parse("2026-11-28T10:00:00Z"), null, "ok", null, null, null, null);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aFullQueueRefusesAtOnceAndQueuedBatchesCommitOnceTheDatabaseIsFree(Dialect dialect) throws Exception {
        Path dir = Files.createTempDirectory("sextant-writer-");
        try (Database db = Database.open(DatabaseUrl.parse(TestDatabases.url(dialect, dir), dir), 4)) {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO projects (id, slug, name, created_at) VALUES ('p', 'p', 'P', 0)"));
            try (TraceWriter writer = new TraceWriter(db, Clock.systemUTC(), 2, 100, "test-trace-writer")) {
                CompletableFuture<Void> first;
                try (Handle blocker = db.jdbi().open()) {
                    blocker.begin();
                    // Lock the traces table so that the writer's commit waits.
                    blocker.execute(dialect == Dialect.POSTGRES ? "LOCK TABLE traces IN EXCLUSIVE MODE"
                            : "UPDATE projects SET name = name");
                    first = writer.submit(new IngestBatch("p", List.of(span("1111111111111111"), span("2222222222222222")),
                            List.of()));
                    assertThatThrownBy(() -> writer.submit(new IngestBatch("p", List.of(span("3333333333333333")),
                            List.of()))).isInstanceOf(TraceWriter.QueueFullException.class);
                    assertThat(first).isNotDone();
                    blocker.rollback();
                }
                first.get(20, TimeUnit.SECONDS);
                // The budget is released after the commit.
                writer.submit(new IngestBatch("p", List.of(span("3333333333333333")), List.of())).get(20, TimeUnit.SECONDS);
            }
            int stored = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM spans").mapTo(Integer.class).one());
            assertThat(stored).isEqualTo(3);
        }
    }
}
