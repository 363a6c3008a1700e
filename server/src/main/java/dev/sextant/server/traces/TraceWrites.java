package dev.sextant.server.traces;

import dev.sextant.server.db.Dialect;
import dev.sextant.server.db.NamedStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Writes ingested batches: the hot path of ingestion, in plain JDBC. Writes are merging upserts
 * (later non-null values win, nulls never erase), so duplicate and out-of-order deliveries
 * converge. A trace's rollup (times, tokens, cost, errors, root span) is recomputed from its
 * stored spans, except for a trace seen for the first time whose spans all come in this batch
 * (the common case): its rollup is the batch's, and reading it back would only cost time. A span
 * is identified by its id within its trace (as OpenTelemetry defines it): the same span id in
 * two traces is two spans.
 */
final class TraceWrites {
    private static final String UPSERT_SPAN = "INSERT INTO spans (project_id, id, trace_id, trace_seq, parent_id, "
            + "kind, name, input, output, model, provider, params, input_tokens, output_tokens, cached_tokens, "
            + "reasoning_tokens, cost, start_time, end_time, status, error, attributes, prompt_name, prompt_version, "
            + "sort_time) VALUES (:projectId, :id, :traceId, :traceSeq, :parentId, :kind, :name, :input, :output, "
            + ":model, :provider, :params, :inputTokens, :outputTokens, :cachedTokens, :reasoningTokens, :cost, "
            + ":startTime, :endTime, :status, :error, :attributes, :promptName, :promptVersion, :sortTime) "
            + "ON CONFLICT (trace_seq, id) DO UPDATE SET "
            + merge("spans", "parent_id", "kind", "name", "input", "output", "model",
                    "provider", "params", "input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens", "cost",
                    "start_time", "end_time", "status", "error", "attributes", "prompt_name", "prompt_version")
            + ", sort_time = COALESCE(excluded.start_time, spans.start_time, spans.sort_time)";
    /**
     * The delivered trace facts merged with the stored ones, and the rollup. Explicit
     * name/input/output (bits 1/2/4) beat the root span's.
     */
    private static final String UPSERT_TRACE = "INSERT INTO traces (seq, project_id, id, name, session_id, user_id, "
            + "tags, metadata, input, output, explicit_fields, start_time, end_time, latency_ms, status, span_count, "
            + "error_count, input_tokens, output_tokens, total_tokens, cost, updated_at) VALUES (:seq, :projectId, "
            + ":id, COALESCE(:name, :rootName), :sessionId, :userId, :tags, :metadata, COALESCE(:input, :rootInput), "
            + "COALESCE(:output, :rootOutput), :explicitFields, COALESCE(:start, :now), :end, :latency, :status, "
            + ":spans, :errors, :in, :out, :total, :cost, :now) ON CONFLICT (project_id, id) DO UPDATE SET "
            + merge("traces", "session_id", "user_id", "tags", "metadata") + ", "
            + derived("name", 1, ":name", ":rootName") + ", " + derived("input", 2, ":input", ":rootInput") + ", "
            + derived("output", 4, ":output", ":rootOutput") + ", "
            + "explicit_fields = traces.explicit_fields | excluded.explicit_fields, "
            + "start_time = COALESCE(:start, traces.start_time), end_time = excluded.end_time, "
            + "latency_ms = excluded.latency_ms, status = excluded.status, span_count = excluded.span_count, "
            + "error_count = excluded.error_count, input_tokens = excluded.input_tokens, "
            + "output_tokens = excluded.output_tokens, total_tokens = excluded.total_tokens, cost = excluded.cost, "
            + "updated_at = excluded.updated_at";
    private static final String STORED_ROLLUP = "SELECT trace_id, COUNT(*), "
            + "SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END), SUM(input_tokens), SUM(output_tokens), SUM(cost), "
            + "MIN(COALESCE(start_time, end_time)), MAX(COALESCE(end_time, start_time)) "
            + "FROM spans WHERE trace_seq IN (%s) GROUP BY trace_id";
    // Choosing the earliest root in Java keeps SQLite on the trace index (an ORDER BY start_time
    // lets it pick the project's time index and scan every span).
    private static final String STORED_ROOTS = "SELECT trace_id, name, input, output, start_time FROM spans "
            + "WHERE trace_seq IN (%s) AND parent_id IS NULL";
    private static final String STORED_TRACES = "SELECT id, seq FROM traces WHERE project_id = ? AND id IN (%s)";
    private static final int CHUNK = 500;

    private final Dialect dialect;

    TraceWrites(Dialect dialect) {
        this.dialect = dialect;
    }

    private static String merge(String table, String... columns) {
        List<String> sets = new ArrayList<>();
        for (String c : columns) {
            sets.add(c + " = COALESCE(excluded." + c + ", " + table + "." + c + ")");
        }
        return String.join(", ", sets);
    }

    /** A client-set value wins; else a value set explicitly before stays; else the root span's. */
    private static String derived(String column, int bit, String explicit, String fromRoot) {
        return column + " = CASE WHEN " + explicit + " IS NOT NULL THEN " + explicit + " WHEN (traces.explicit_fields & "
                + bit + ") <> 0 THEN traces." + column + " ELSE COALESCE(" + fromRoot + ", traces." + column + ") END";
    }

    /** Writes one batch inside the caller's transaction. */
    void write(Handle h, IngestBatch batch, Instant now) {
        try {
            Connection connection = h.getConnection();
            Map<String, TracePatch> patches = new LinkedHashMap<>();
            for (SpanRecord span : batch.spans()) {
                patches.putIfAbsent(span.traceId(), TracePatch.empty(span.traceId()));
            }
            for (TracePatch patch : batch.traces()) {
                patches.merge(patch.id(), patch, TracePatch::then);
            }
            Map<String, Long> seqs = storedSeqs(connection, batch.projectId(), new ArrayList<>(patches.keySet()));
            Map<String, TraceRollup> fresh = rollupsOfNewTraces(batch, seqs.keySet());
            List<String> unseen = patches.keySet().stream().filter(id -> !seqs.containsKey(id)).toList();
            List<Long> allocated = newSeqs(connection, unseen.size());
            for (int i = 0; i < unseen.size(); i++) {
                seqs.put(unseen.get(i), allocated.get(i));
            }
            upsertSpans(connection, batch, seqs, now);
            List<String> stored = patches.keySet().stream().filter(id -> !fresh.containsKey(id)).toList();
            Map<String, TraceRollup> rollups = new HashMap<>(fresh);
            for (int from = 0; from < stored.size(); from += CHUNK) {
                rollups.putAll(storedRollups(connection, stored.subList(from, Math.min(stored.size(), from + CHUNK))
                        .stream().map(seqs::get).toList()));
            }
            upsertTraces(connection, batch.projectId(), patches.values(), seqs, rollups, now);
            if (dialect == Dialect.SQLITE && !stored.isEmpty()) {
                TraceSearch.markChanged(connection, stored.stream().map(seqs::get).toList());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing traces failed: " + e.getMessage(), e);
        }
    }

    /** The sequence numbers of the traces among ids that are stored already. */
    private static Map<String, Long> storedSeqs(Connection connection, String projectId, List<String> ids)
            throws SQLException {
        Map<String, Long> seqs = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            try (PreparedStatement select = connection.prepareStatement(STORED_TRACES.formatted(marks(chunk.size())))) {
                select.setString(1, projectId);
                bind(select, 2, chunk);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        seqs.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        return seqs;
    }

    /**
     * Sequence numbers for n new traces. The trace writer is the only writer of traces, and on SQLite
     * its transaction holds the write lock, so the next numbers after the largest are free.
     */
    private List<Long> newSeqs(Connection connection, int n) throws SQLException {
        List<Long> seqs = new ArrayList<>(n);
        if (n == 0) {
            return seqs;
        }
        String sql = dialect == Dialect.SQLITE ? "SELECT COALESCE(MAX(seq), 0) FROM traces"
                : "SELECT nextval(pg_get_serial_sequence('traces', 'seq')) FROM generate_series(1, " + n + ")";
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
        }
        if (dialect == Dialect.SQLITE) {
            long last = seqs.removeFirst();
            for (int i = 1; i <= n; i++) {
                seqs.add(last + i);
            }
        }
        return seqs;
    }

    /**
     * Rollups computed from the batch for traces not stored yet. A trace with the same span id
     * twice in the batch is left to the stored path, which applies the merge rules.
     */
    private static Map<String, TraceRollup> rollupsOfNewTraces(IngestBatch batch, Set<String> stored) {
        Map<String, List<SpanRecord>> byTrace = new LinkedHashMap<>();
        for (SpanRecord span : batch.spans()) {
            byTrace.computeIfAbsent(span.traceId(), k -> new ArrayList<>()).add(span);
        }
        Map<String, TraceRollup> rollups = new HashMap<>();
        byTrace.forEach((traceId, spans) -> {
            if (!stored.contains(traceId) && spans.stream().map(SpanRecord::id).distinct().count() == spans.size()) {
                rollups.put(traceId, TraceRollup.of(spans));
            }
        });
        return rollups;
    }

    private static void upsertSpans(Connection connection, IngestBatch batch, Map<String, Long> seqs, Instant now)
            throws SQLException {
        if (batch.spans().isEmpty()) {
            return;
        }
        try (NamedStatement upsert = NamedStatement.prepare(connection, UPSERT_SPAN)) {
            for (SpanRecord span : batch.spans()) {
                Instant sortTime = span.startTime() != null ? span.startTime()
                        : span.endTime() != null ? span.endTime() : now;
                upsert.text("projectId", batch.projectId()).text("id", span.id()).text("traceId", span.traceId())
                        .bigint("traceSeq", seqs.get(span.traceId()))
                        .text("parentId", span.parentId()).text("kind", span.kind()).text("name", span.name())
                        .text("input", span.input()).text("output", span.output()).text("model", span.model())
                        .text("provider", span.provider()).text("params", span.params())
                        .bigint("inputTokens", span.inputTokens()).bigint("outputTokens", span.outputTokens())
                        .bigint("cachedTokens", span.cachedTokens()).bigint("reasoningTokens", span.reasoningTokens())
                        .real("cost", span.cost()).millis("startTime", span.startTime())
                        .millis("endTime", span.endTime()).text("status", span.status()).text("error", span.error())
                        .text("attributes", span.attributes()).text("promptName", span.promptName())
                        .integer("promptVersion", span.promptVersion()).millis("sortTime", sortTime)
                        .addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** Rollups of traces that already had spans, read back after this batch's spans were written. */
    private static Map<String, TraceRollup> storedRollups(Connection connection, List<Long> traceSeqs)
            throws SQLException {
        Map<String, TraceRollup> rollups = new HashMap<>();
        try (PreparedStatement totals = connection.prepareStatement(STORED_ROLLUP.formatted(marks(traceSeqs.size())))) {
            bind(totals, 1, traceSeqs);
            try (ResultSet rs = totals.executeQuery()) {
                while (rs.next()) {
                    rollups.put(rs.getString(1), new TraceRollup(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getDouble(6), nullableLong(rs, 7), nullableLong(rs, 8), null));
                }
            }
        }
        try (PreparedStatement roots = connection.prepareStatement(STORED_ROOTS.formatted(marks(traceSeqs.size())))) {
            bind(roots, 1, traceSeqs);
            try (ResultSet rs = roots.executeQuery()) {
                while (rs.next()) {
                    TraceRollup.Root root = new TraceRollup.Root(rs.getString(2), rs.getString(3), rs.getString(4),
                            nullableLong(rs, 5));
                    rollups.computeIfPresent(rs.getString(1), (id, rollup) -> rollup.withEarlierRoot(root));
                }
            }
        }
        return rollups;
    }

    private static void upsertTraces(Connection connection, String projectId, Collection<TracePatch> patches,
                                     Map<String, Long> seqs, Map<String, TraceRollup> rollups, Instant now)
            throws SQLException {
        try (NamedStatement upsert = NamedStatement.prepare(connection, UPSERT_TRACE)) {
            for (TracePatch patch : patches) {
                TraceRollup r = rollups.getOrDefault(patch.id(), TraceRollup.EMPTY);
                TraceRollup.Root root = r.root() == null ? TraceRollup.Root.NONE : r.root();
                upsert.bigint("seq", seqs.get(patch.id())).text("projectId", projectId).text("id", patch.id())
                        .text("name", patch.name())
                        .text("sessionId", patch.sessionId()).text("userId", patch.userId()).text("tags", patch.tags())
                        .text("metadata", patch.metadata()).text("input", patch.input()).text("output", patch.output())
                        .integer("explicitFields", patch.explicitFields())
                        .text("rootName", root.name()).text("rootInput", root.input()).text("rootOutput", root.output())
                        .bigint("start", r.start()).bigint("end", r.end()).bigint("latency", r.latencyMillis())
                        .text("status", r.errors() > 0 ? "error" : "ok").bigint("spans", r.spans())
                        .bigint("errors", r.errors()).bigint("in", r.inputTokens()).bigint("out", r.outputTokens())
                        .bigint("total", r.inputTokens() + r.outputTokens()).real("cost", r.cost())
                        .millis("now", now)
                        .addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static void bind(PreparedStatement statement, int first, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(first + i, values.get(i));
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
