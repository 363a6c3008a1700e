package dev.sextant.server.traces;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * Queries over traces and spans ({@link TraceWrites} writes them). The SQL is the same for SQLite
 * and PostgreSQL except LIKE and text search ({@link TraceSearch}).
 */
final class TraceStore {
    static final int RETENTION_BATCH = 2_000;
    /** What {@link #trace} reads (not the PostgreSQL search column, a tsvector as large as the text). */
    private static final String TRACE_COLUMNS = "t.id, t.name, t.session_id, t.user_id, t.tags, t.metadata, t.input, "
            + "t.output, t.start_time, t.end_time, t.latency_ms, t.status, t.span_count, t.error_count, "
            + "t.input_tokens, t.output_tokens, t.total_tokens, t.cost";
    private final Jdbi jdbi;
    private final Dialect dialect;

    TraceStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    Optional<Trace> trace(String projectId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TRACE_COLUMNS + " FROM traces t "
                        + "WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).map((rs, ctx) -> trace(rs)).findOne());
    }

    List<Span> spansOf(String projectId, String traceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM spans s WHERE s.project_id = :p AND "
                        + SpansOfTrace.one("s", ":p", ":t") + " ORDER BY start_time, id")
                .bind("p", projectId).bind("t", traceId).map((rs, ctx) -> span(rs)).list());
    }

    /** Up to {@code query.limit() + 1} traces, so the caller can tell whether there is a next page. */
    List<Trace> traces(String projectId, TraceQuery query, Cursor cursor) {
        return jdbi.withHandle(h -> {
            TraceSearch search = query.q() == null ? null : TraceSearch.of(query.q());
            boolean sparse = search != null && search.hasWords() && (dialect == Dialect.SQLITE
                    ? !search.dense(h) : !search.densePostgres(h, projectId));
            Map<String, Object> fromArgs = new LinkedHashMap<>();
            String from = !sparse ? "traces t"
                    : dialect == Dialect.SQLITE ? TraceSearch.sparseFrom() : search.sparseFromPostgres(fromArgs);
            StringBuilder sql = new StringBuilder("SELECT " + TRACE_COLUMNS + " FROM ").append(from)
                    .append(" WHERE t.project_id = :p");
            Map<String, Object> args = traceFilters(sql, projectId, query);
            args.putAll(fromArgs);
            if (search != null) {
                sql.append(" AND ").append(textMatch(search, sparse, args));
            }
            pageAfter(sql, args, "t." + query.sort().column, "t.id", cursor, query.limit());
            return list(h, sql, args, (rs, ctx) -> trace(rs));
        });
    }

    private String textMatch(TraceSearch search, boolean sparse, Map<String, Object> args) {
        if (!search.hasWords()) {
            return substring(search.raw(), args);
        }
        if (dialect == Dialect.POSTGRES) {
            args.put("tsq", search.tsQuery());
            return sparse ? TraceSearch.postgresCheck() : TraceSearch.postgresMatch();
        }
        args.put("fts", search.ftsQuery());
        return sparse ? search.sparseMatch(args) : search.denseMatch(args);
    }

    /** A query without words (only punctuation, say) is a plain substring of the input or output. */
    private String substring(String text, Map<String, Object> args) {
        String like = dialect == Dialect.POSTGRES ? "ILIKE" : "LIKE";
        args.put("q", "%" + escapeLike(text) + "%");
        return "(t.input " + like + " :q ESCAPE '!' OR t.output " + like + " :q ESCAPE '!')";
    }

    private static Map<String, Object> traceFilters(StringBuilder sql, String projectId, TraceQuery query) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("p", projectId);
        filter(sql, args, "t.start_time >= :from", "from", query.from());
        filter(sql, args, "t.start_time < :to", "to", query.to());
        filter(sql, args, "t.name = :name", "name", query.name());
        filter(sql, args, "t.user_id = :userId", "userId", query.userId());
        filter(sql, args, "t.session_id = :sessionId", "sessionId", query.sessionId());
        if ("error".equals(query.status())) {
            // A literal, so that SQLite can choose the partial index of errors.
            sql.append(" AND t.status = 'error'");
        } else {
            filter(sql, args, "t.status = :status", "status", query.status());
        }
        // Unary + keeps these ranges off their indexes: reading the sort index in order and
        // checking the range finds a first page without sorting every matching trace.
        filter(sql, args, "+t.latency_ms >= :minLatency", "minLatency", query.minLatencyMs());
        filter(sql, args, "+t.cost >= :minCost", "minCost", query.minCost());
        filter(sql, args, "t.tags LIKE :tag ESCAPE '!'", "tag",
                query.tag() == null ? null : "%" + escapeLike(Json.write(query.tag())) + "%");
        filter(sql, args, "EXISTS (SELECT 1 FROM spans s WHERE " + SpansOfTrace.ofRow("s", "t")
                + " AND s.model = :model)", "model", query.model());
        filter(sql, args, "EXISTS (SELECT 1 FROM spans s WHERE " + SpansOfTrace.ofRow("s", "t")
                + " AND s.prompt_name = :promptName)", "promptName", query.promptName());
        return args;
    }

    /** A span with its list position. */
    record SpanRow(Span span, long sortTime) {
    }

    List<SpanRow> spans(String projectId, SpanQuery query, Cursor cursor) {
        StringBuilder sql = new StringBuilder("SELECT * FROM spans s WHERE s.project_id = :p");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("p", projectId);
        filter(sql, args, SpansOfTrace.one("s", ":p", ":traceId"), "traceId", query.traceId());
        filter(sql, args, "s.kind = :kind", "kind", query.kind());
        filter(sql, args, "s.model = :model", "model", query.model());
        filter(sql, args, "s.name = :name", "name", query.name());
        filter(sql, args, "s.prompt_name = :promptName", "promptName", query.promptName());
        filter(sql, args, "s.status = :status", "status", query.status());
        filter(sql, args, "s.sort_time >= :from", "from", query.from());
        filter(sql, args, "s.sort_time < :to", "to", query.to());
        pageAfter(sql, args, "s.sort_time", "s.id", cursor, query.limit());
        return jdbi.withHandle(h -> list(h, sql, args, (rs, ctx) -> new SpanRow(span(rs), rs.getLong("sort_time"))));
    }

    List<Trace> session(String projectId, String sessionId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TRACE_COLUMNS + " FROM traces t "
                        + "WHERE project_id = :p AND session_id = :s "
                        + "ORDER BY start_time, id LIMIT " + limit)
                .bind("p", projectId).bind("s", sessionId).map((rs, ctx) -> trace(rs)).list());
    }

    /**
     * Deletes the project's traces (and their spans) that started before {@code cutoff}, oldest
     * first, {@link #RETENTION_BATCH} traces per transaction: ingestion waits for each one (one
     * writer on SQLite), so a large backlog must not become one long transaction.
     */
    int deleteBefore(String projectId, Instant cutoff) {
        return deleteBefore(projectId, cutoff, RETENTION_BATCH);
    }

    int deleteBefore(String projectId, Instant cutoff, int batch) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbi.inTransaction(h -> {
                List<Long> seqs = h.createQuery("SELECT seq FROM traces WHERE project_id = :p AND start_time < :c "
                                + "ORDER BY start_time LIMIT " + batch)
                        .bind("p", projectId).bind("c", cutoff).mapTo(Long.class).list();
                if (seqs.isEmpty()) {
                    return 0;
                }
                h.createUpdate("DELETE FROM spans WHERE trace_seq IN (<seqs>)").bindList("seqs", seqs).execute();
                return h.createUpdate("DELETE FROM traces WHERE seq IN (<seqs>)").bindList("seqs", seqs).execute();
            });
            total += deleted;
        } while (deleted == batch);
        return total;
    }

    /** Projects that set a retention, with their number of days. */
    Map<String, Integer> retentionDays() {
        Map<String, Integer> days = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT id, retention_days FROM projects WHERE retention_days IS NOT NULL "
                        + "AND retention_days > 0")
                .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getInt("retention_days")))
                .forEach(e -> days.put(e.getKey(), e.getValue())));
        return days;
    }

    Map<String, ModelPrice> priceOverrides(String projectId) {
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT * FROM model_prices WHERE project_id = :p ORDER BY model")
                .bind("p", projectId)
                .map((rs, ctx) -> new ModelPrice(rs.getString("model"), rs.getDouble("input_per_m"),
                        rs.getDouble("output_per_m"), nullableDouble(rs, "cached_per_m"), "project"))
                .forEach(p -> prices.put(p.model(), p)));
        return prices;
    }

    void putPrice(Handle h, String projectId, ModelPrice price, Instant now) {
        h.createUpdate("INSERT INTO model_prices (project_id, model, input_per_m, output_per_m, cached_per_m, updated_at) "
                        + "VALUES (:p, :model, :input, :output, :cached, :now) ON CONFLICT (project_id, model) DO UPDATE "
                        + "SET input_per_m = excluded.input_per_m, output_per_m = excluded.output_per_m, "
                        + "cached_per_m = excluded.cached_per_m, updated_at = excluded.updated_at")
                .bind("p", projectId).bind("model", price.model()).bind("input", price.inputPerMillion())
                .bind("output", price.outputPerMillion()).bind("cached", price.cachedPerMillion()).bind("now", now)
                .execute();
    }

    int deletePrice(Handle h, String projectId, String model) {
        return h.createUpdate("DELETE FROM model_prices WHERE project_id = :p AND model = :m")
                .bind("p", projectId).bind("m", model).execute();
    }

    /**
     * Keyset pagination, newest first: only rows after the cursor, ordered by {@code column} then
     * {@code id}, one more than the limit so the caller can tell whether there is a next page.
     */
    private static void pageAfter(StringBuilder sql, Map<String, Object> args, String column, String id,
                                  Cursor cursor, int limit) {
        if (cursor != null) {
            sql.append(" AND (").append(column).append(" < :cv OR (").append(column).append(" = :cv AND ")
                    .append(id).append(" < :cid))");
            args.put("cv", cursor.value());
            args.put("cid", cursor.id());
        }
        sql.append(" ORDER BY ").append(column).append(" DESC, ").append(id).append(" DESC LIMIT ").append(limit + 1);
    }

    private static <T> List<T> list(Handle h, StringBuilder sql, Map<String, Object> args, RowMapper<T> mapper) {
        Query q = h.createQuery(sql.toString());
        args.forEach(q::bind);
        return q.map(mapper).list();
    }

    private static void filter(StringBuilder sql, Map<String, Object> args, String clause, String name, Object value) {
        if (value != null) {
            sql.append(" AND ").append(clause);
            args.put(name, value);
        }
    }

    static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** A keyset position: the sort column's value and the id of the last row seen. */
    record Cursor(Object value, String id) {
    }

    private static Trace trace(ResultSet rs) throws SQLException {
        return new Trace(rs.getString("id"), rs.getString("name"), rs.getString("session_id"), rs.getString("user_id"),
                tags(rs.getString("tags")), Json.valueOrText(rs.getString("metadata")), Json.valueOrText(rs.getString("input")),
                Json.valueOrText(rs.getString("output")), Instant.ofEpochMilli(rs.getLong("start_time")),
                instant(rs, "end_time"), rs.getLong("latency_ms"), rs.getString("status"), rs.getInt("span_count"),
                rs.getInt("error_count"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("total_tokens"), rs.getDouble("cost"));
    }

    private static Span span(ResultSet rs) throws SQLException {
        Instant start = instant(rs, "start_time");
        Instant end = instant(rs, "end_time");
        Span.Usage usage = new Span.Usage(nullableLong(rs, "input_tokens"), nullableLong(rs, "output_tokens"),
                nullableLong(rs, "cached_tokens"), nullableLong(rs, "reasoning_tokens"));
        return new Span(rs.getString("id"), rs.getString("trace_id"), rs.getString("parent_id"), rs.getString("kind"),
                rs.getString("name"), Json.valueOrText(rs.getString("input")), Json.valueOrText(rs.getString("output")), rs.getString("model"),
                rs.getString("provider"), Json.valueOrText(rs.getString("params")), usage.isEmpty() ? null : usage,
                nullableDouble(rs, "cost"), start, end,
                start == null || end == null ? null : end.toEpochMilli() - start.toEpochMilli(),
                rs.getString("status"), rs.getString("error"), Json.valueOrText(rs.getString("attributes")),
                rs.getString("prompt_name"), nullableInt(rs, "prompt_version"), null);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Long millis = nullableLong(rs, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static List<String> tags(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            Set<String> tags = new LinkedHashSet<>(Json.mapper().readValue(text, new TypeReference<List<String>>() { }));
            return List.copyOf(tags);
        } catch (Exception e) {
            return List.of();
        }
    }
}
