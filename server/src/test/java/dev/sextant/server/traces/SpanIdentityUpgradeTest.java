package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.http.Json;
import dev.sextant.server.support.OlderSchema;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database written while spans were unique per project (before V95) keeps every span with its
 * trace; what named a span by its id alone (review items, queued online evaluations) learns the
 * trace; and from then on the same span id in two traces is two spans, as OpenTelemetry defines it.
 */
class SpanIdentityUpgradeTest {
    private static final String PROJECT = "p-upgrade";
    private static final String OTHER = "p-other";
    private static final String SPAN = "00000000000000a1";

    private static String trace(int n) {
        return String.format("%032x", n);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void spansKeepTheirTracesAndWhatNamedASpanAloneLearnsItsTrace(Dialect dialect) throws Exception {
        OlderSchema before = OlderSchema.at(dialect, "94");
        before.jdbi().useHandle(h -> {
            for (String project : List.of(PROJECT, OTHER)) {
                h.execute("INSERT INTO projects (id, slug, name, created_at) VALUES (?, ?, ?, 0)", project, project, project);
            }
            for (int t = 1; t <= 2; t++) {
                h.execute("INSERT INTO traces (project_id, id, start_time, updated_at) VALUES (?, ?, ?, 0)", PROJECT,
                        trace(t), 1_000L * t);
                for (int s = 1; s <= 2; s++) {
                    String spanId = t == 2 && s == 1 ? SPAN : String.format("%016x", 10 * t + s);
                    h.execute("INSERT INTO spans (project_id, id, trace_id, trace_seq, name, start_time, sort_time) "
                            + "VALUES (?, ?, ?, (SELECT seq FROM traces WHERE id = ?), ?, ?, ?)", PROJECT, spanId,
                            trace(t), trace(t), "span " + spanId, 1_000L * t + s, 1_000L * t + s);
                }
            }
            // Spans without a trace row, with the same id in two projects: unreachable, and they
            // must not break the new key (both have trace_seq 0).
            for (String project : List.of(PROJECT, OTHER)) {
                h.execute("INSERT INTO spans (project_id, id, trace_id, trace_seq, sort_time) VALUES (?, 'orphan', ?, 0, 0)",
                        project, trace(99));
            }
            h.execute("INSERT INTO review_queues (id, project_id, name, evaluators, reviewers_per_item, lock_seconds, "
                    + "created_by, created_at) VALUES ('q1', ?, 'check', '[]', 1, 600, 'test', 0)", PROJECT);
            h.execute("INSERT INTO review_items (id, project_id, queue_id, target_type, target_id, added_at) "
                    + "VALUES ('i1', ?, 'q1', 'span', ?, 0), ('i2', ?, 'q1', 'trace', ?, 0)", PROJECT, SPAN, PROJECT,
                    trace(1));
            h.execute("INSERT INTO online_rules (id, project_id, name, evaluator_name, target, filter, sampling_rate, "
                    + "paused, watermark, created_at, updated_at) VALUES ('r1', ?, 'rule', 'judge', 'span', '{}', 1, ?, "
                    + "0, 0, 0)", PROJECT, false);
            h.execute("INSERT INTO jobs (id, kind, payload, status, max_attempts, run_after, created_at, updated_at) "
                    + "VALUES ('j1', 'monitoring.online.evaluate', ?, 'queued', 3, 0, 0, 0)",
                    "{\"ruleId\":\"r1\",\"targetId\":\"" + SPAN + "\"}");
        });

        try (Database database = Database.open(before.url(), 2)) {
            Jdbi jdbi = database.jdbi();
            TraceStore store = new TraceStore(jdbi, dialect);
            assertThat(store.spansOf(PROJECT, trace(1))).extracting(Span::id)
                    .containsExactly(String.format("%016x", 11), String.format("%016x", 12));
            assertThat(store.spansOf(PROJECT, trace(2))).extracting(Span::id)
                    .containsExactly(SPAN, String.format("%016x", 22));
            int orphans = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM spans WHERE id = 'orphan'")
                    .mapTo(Integer.class).one());
            assertThat(orphans).isZero();
            List<String> itemTraces = jdbi.withHandle(h -> h.createQuery("SELECT trace_id FROM review_items ORDER BY id")
                    .mapTo(String.class).list());
            assertThat(itemTraces).containsExactly(trace(2), trace(1));
            String payload = jdbi.withHandle(h -> h.createQuery("SELECT payload FROM jobs WHERE id = 'j1'")
                    .mapTo(String.class).one());
            assertThat(Json.mapper().readTree(payload).path("traceId").asText()).isEqualTo(trace(2));

            // The same span id in a third trace is a span of its own; in its own trace it merges.
            database.jdbi().useTransaction(h -> new TraceWrites(dialect).write(h, new IngestBatch(PROJECT,
                    List.of(span(SPAN, trace(3), "elsewhere", null), span(SPAN, trace(2), null, "merged")), List.of()),
                    Instant.ofEpochMilli(9_000)));
            assertThat(store.spansOf(PROJECT, trace(3))).extracting(Span::name).containsExactly("elsewhere");
            assertThat(store.spansOf(PROJECT, trace(2))).hasSize(2).first()
                    .satisfies(s -> assertThat(s.name()).isEqualTo("span " + SPAN))
                    .satisfies(s -> assertThat(s.error()).isEqualTo("merged"));
            assertThat(store.trace(PROJECT, trace(2)).orElseThrow().spanCount()).isEqualTo(2);
            assertThat(store.trace(PROJECT, trace(3)).orElseThrow().spanCount()).isEqualTo(1);
        }
    }

    private static SpanRecord span(String spanId, String traceId, String name, String error) {
        return new SpanRecord(spanId, traceId, null, "llm", name, null, null, null, null, null, null, null, null,
                null, null, null, null, error == null ? "ok" : "error", error, null, null, null);
    }
}
