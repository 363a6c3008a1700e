package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.OlderSchema;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database written before spans found their trace by sequence number (V92) keeps every span
 * with its trace, search included, and traces written after the upgrade join them.
 */
class TraceSeqUpgradeTest {
    private static final String PROJECT = "p-upgrade";

    private static String id(int n) {
        return String.format("%032x", n);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void spansWrittenBeforeTheUpgradeStayWithTheirTraceAndNewTracesFollowThem(Dialect dialect) throws Exception {
        OlderSchema before = OlderSchema.at(dialect, "91");
        before.jdbi().useHandle(h -> {
            h.execute("INSERT INTO projects (id, slug, name, created_at) VALUES (?, 'upgrade', 'Upgrade', 0)", PROJECT);
            // Rows in an order where trace rowids differ from insertion order of their spans.
            for (int t = 1; t <= 3; t++) {
                h.execute("INSERT INTO traces (project_id, id, input, output, start_time, updated_at) "
                        + "VALUES (?, ?, ?, '\"answer\"', ?, 0)", PROJECT, id(t),
                        "\"question " + (t == 2 ? "zebra" : "plain") + "\"",
                        1_000L * t);
            }
            for (int s = 1; s <= 6; s++) {
                int trace = 3 - (s - 1) / 2;
                h.execute("INSERT INTO spans (project_id, id, trace_id, name, model, start_time, sort_time) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)", PROJECT, String.format("%016x", s), id(trace),
                        "span " + s, trace == 2 ? "gpt-4o" : "sim-1", 1_000L * trace + s, 1_000L * trace + s);
            }
            if (dialect == Dialect.SQLITE) {
                indexForSearch(h);
            }
        });

        try (Database database = Database.open(before.url(), 2)) {
            TraceStore store = new TraceStore(database.jdbi(), dialect);
            assertThat(store.spansOf(PROJECT, id(2))).extracting(Span::id)
                    .containsExactly(String.format("%016x", 3), String.format("%016x", 4));
            assertThat(ids(store, query(null, "gpt-4o"))).containsExactly(id(2));
            assertThat(ids(store, query("zebra", null))).containsExactly(id(2));

            database.jdbi().useTransaction(h -> new TraceWrites(dialect).write(h, new IngestBatch(PROJECT,
                    List.of(span("%016x".formatted(7), id(4)), span("%016x".formatted(8), id(1))), List.of()),
                    Instant.ofEpochMilli(9_000)));
            assertThat(store.spansOf(PROJECT, id(4))).extracting(Span::id).containsExactly("%016x".formatted(7));
            assertThat(store.spansOf(PROJECT, id(1))).extracting(Span::id)
                    .containsExactly("%016x".formatted(5), "%016x".formatted(6), "%016x".formatted(8));
            assertThat(store.trace(PROJECT, id(1)).orElseThrow().spanCount()).isEqualTo(3);

            if (dialect == Dialect.SQLITE) {
                // seq is the rowid made explicit: VACUUM may not renumber it, so links and search survive.
                database.jdbi().useHandle(h -> h.execute("VACUUM"));
                assertThat(store.spansOf(PROJECT, id(2))).hasSize(2);
                assertThat(ids(store, query("zebra", null))).containsExactly(id(2));
            }
        }
    }

    /** What the V91 trace writer does in its spare time: every trace is in the search index. */
    private static void indexForSearch(Handle h) {
        h.execute("INSERT INTO traces_search (rowid, input, output) SELECT rowid, input, output FROM traces");
        h.execute("UPDATE traces_search_state SET indexed_rowid = (SELECT MAX(rowid) FROM traces)");
    }

    private static SpanRecord span(String spanId, String traceId) {
        return new SpanRecord(spanId, traceId, null, "llm", "late span", "\"in\"", "\"out\"", "sim-1", "sim", null, 1L, 1L,
                null, null, 0.0, Instant.ofEpochMilli(8_000), Instant.ofEpochMilli(8_100), "ok", null, null, null, null);
    }

    private static TraceQuery query(String q, String model) {
        return new TraceQuery(null, null, null, null, null, null, null, null, null, model, null, q,
                TraceQuery.Sort.TIME, null, 50);
    }

    private static List<String> ids(TraceStore store, TraceQuery query) {
        return store.traces(PROJECT, query, null).stream().map(Trace::id).toList();
    }
}
