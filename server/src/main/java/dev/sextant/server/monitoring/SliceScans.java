package dev.sextant.server.monitoring;

import dev.sextant.server.db.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Aggregates raw trace or LLM-span rows of a slice into {@link Partial}s per time bucket and group:
 * the raw side of a query (range edges, hours not rolled up yet) and the source of every rollup row.
 *
 * <p>Per model or prompt, "traces" counts each trace once, at its first span (by sort time, then id)
 * in the slice and group: that count adds up over hours and buckets, unlike a per-bucket distinct count.
 */
final class SliceScans {
    /**
     * A bucket and group; {@code promptName} separates prompt-version groups by prompt, {@code model}
     * those of the model-by-prompt-version rollup by model (null otherwise).
     */
    record Key(long bucket, String group, String promptName, String model) {
    }

    private final Jdbi jdbi;
    private final Dialect dialect;

    SliceScans(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /** Rows of [from, to) in buckets of {@code bucketMs}; traces (span mode) and latencies only when asked. */
    Map<Key, Partial> scan(String projectId, Slice slice, long from, long to, long bucketMs, boolean traces,
                           boolean latency) {
        Map<Key, Partial> partials = new LinkedHashMap<>();
        Sql sql = slice.spanMode() ? spanSql(slice, traces) : traceSql(slice);
        String groupBy = " GROUP BY " + String.join(", ", sql.groupColumns());
        String sums = "SELECT " + sql.bucket(bucketMs) + " AS bucket, " + sql.group() + " AS g, " + sql.prompt()
                + " AS pn, " + sql.model() + " AS m, COUNT(*) AS n, " + sql.traces() + " AS traces, " + sql.spans() + " AS spans, "
                + sql.errors() + " AS errors, " + sql.tokens() + " AS tokens, " + sql.cost() + " AS cost FROM "
                + sql.from() + " WHERE " + sql.where() + groupBy;
        jdbi.useHandle(h -> bind(h.createQuery(sums), projectId, slice, from, to).map((rs, ctx) -> {
            Partial p = partials.computeIfAbsent(key(rs), k -> new Partial());
            p.rows += rs.getLong("n");
            p.traces += rs.getLong("traces");
            p.spans += rs.getLong("spans");
            p.errors += rs.getLong("errors");
            p.tokens += rs.getLong("tokens");
            p.cost += rs.getDouble("cost");
            return 0;
        }).list());
        if (latency && !partials.isEmpty()) {
            String histogram = "SELECT " + sql.bucket(bucketMs) + " AS bucket, " + sql.group() + " AS g, "
                    + sql.prompt() + " AS pn, " + sql.model() + " AS m, " + sql.latency() + " AS l, COUNT(*) AS c FROM "
                    + sql.from() + " WHERE " + sql.where() + sql.latencyWhere() + groupBy + ", 5";
            jdbi.useHandle(h -> bind(h.createQuery(histogram), projectId, slice, from, to).map((rs, ctx) -> {
                partials.computeIfAbsent(key(rs), k -> new Partial()).latency.add(rs.getLong("l"), rs.getLong("c"));
                return 0;
            }).list());
        }
        return partials;
    }

    private static Key key(ResultSet rs) throws SQLException {
        return new Key(rs.getLong("bucket"), rs.getString("g"), rs.getString("pn"), rs.getString("m"));
    }

    private static Query bind(Query query, String projectId, Slice slice, long from, long to) {
        return query.bind("p", projectId).bind("from", from).bind("to", to).bind("prompt", slice.promptName())
                .bind("model", slice.model());
    }

    /** The SQL pieces of a scan; group, prompt and model are SQL expressions, constant ones stay out of GROUP BY. */
    private record Sql(String from, String time, String where, String group, String prompt, String model, String traces,
                       String spans, String errors, String tokens, String cost, String latency, String latencyWhere) {
        String bucket(long bucketMs) {
            return "(" + time + " / " + bucketMs + ") * " + bucketMs;
        }

        List<String> groupColumns() {
            List<String> columns = new ArrayList<>(List.of("1"));
            if (!group.startsWith("'")) {
                columns.add("2");
            }
            if (!prompt.startsWith("CAST(NULL")) {
                columns.add("3");
            }
            if (!model.startsWith("CAST(NULL")) {
                columns.add("4");
            }
            return columns;
        }
    }

    /** A constant null text (prompt or model): not a grouping. */
    /** A constant null (no prompt or model grouping): stays out of GROUP BY. */
    private static final String NULL_TEXT = "CAST(NULL AS TEXT)";

    private Sql traceSql(Slice slice) {
        boolean tag = "tag".equals(slice.groupBy());
        String from = !tag ? "traces t" : dialect == Dialect.SQLITE
                ? "traces t, json_each(CASE WHEN json_valid(t.tags) THEN t.tags ELSE '[]' END) j"
                : "traces t CROSS JOIN LATERAL json_array_elements_text(CAST(COALESCE(t.tags, '[]') AS json)) AS j(value)";
        return new Sql(from, "t.start_time", "t.project_id = :p AND t.start_time >= :from AND t.start_time < :to",
                tag ? "j.value" : "'all'", NULL_TEXT, NULL_TEXT, "COUNT(*)", "SUM(t.span_count)",
                "SUM(CASE WHEN t.status = 'error' THEN 1 ELSE 0 END)", "SUM(t.total_tokens)", "SUM(t.cost)",
                "t.latency_ms", "");
    }

    private Sql spanSql(Slice slice, boolean traces) {
        String where = "s.project_id = :p AND s.sort_time >= :from AND s.sort_time < :to AND " + llm("s")
                + filters(slice, "s");
        String group = group(slice.groupBy(), "s");
        String prompt = perPrompt(slice.groupBy()) ? "s.prompt_name" : NULL_TEXT;
        String model = perModel(slice.groupBy()) ? "s.model" : NULL_TEXT;
        String first = "SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM spans f WHERE f.project_id = s.project_id "
                + "AND f.trace_seq = s.trace_seq AND " + llm("f") + filters(slice, "f") + sameGroup(slice.groupBy())
                + " AND " + earlier() + ") THEN 1 ELSE 0 END)";
        return new Sql("spans s", "s.sort_time", where, group, prompt, model, traces ? first : "0", "COUNT(*)",
                "SUM(CASE WHEN s.status = 'error' THEN 1 ELSE 0 END)",
                "SUM(COALESCE(s.input_tokens, 0) + COALESCE(s.output_tokens, 0))", "SUM(COALESCE(s.cost, 0))",
                "(s.end_time - s.start_time)", " AND s.end_time IS NOT NULL AND s.start_time IS NOT NULL");
    }

    /** Span f sorts before span s. On SQLite, "+" keeps the planner on the trace's spans, not a time range. */
    private String earlier() {
        String plus = dialect == Dialect.SQLITE ? "+" : "";
        return "(" + plus + "f.sort_time < s.sort_time OR (" + plus + "f.sort_time = s.sort_time AND " + plus
                + "f.id < s.id))";
    }

    private static String llm(String alias) {
        return "(" + alias + ".model IS NOT NULL OR " + alias + ".prompt_name IS NOT NULL)";
    }

    private static String filters(Slice slice, String alias) {
        return (slice.promptName() == null ? "" : " AND " + alias + ".prompt_name = :prompt")
                + (slice.model() == null ? "" : " AND " + alias + ".model = :model");
    }

    private static String group(String groupBy, String alias) {
        if (groupBy == null) {
            return "'all'";
        }
        return switch (groupBy) {
            case "model", "promptModel" -> alias + ".model";
            case "prompt" -> alias + ".prompt_name";
            case "promptVersion", "modelPromptVersion" -> alias + ".prompt_name || ' v' || CAST(" + alias + ".prompt_version AS TEXT)";
            default -> throw new IllegalArgumentException(groupBy);
        };
    }

    /** Groups kept apart per prompt (a prompt version's "(none)" group, a model within a prompt). */
    private static boolean perPrompt(String groupBy) {
        return "promptVersion".equals(groupBy) || "promptModel".equals(groupBy) || perModel(groupBy);
    }

    /** Groups kept apart per model (a prompt version within a model). */
    private static boolean perModel(String groupBy) {
        return "modelPromptVersion".equals(groupBy);
    }

    /** The earlier span must be in the same group. */
    private String sameGroup(String groupBy) {
        if (groupBy == null) {
            return "";
        }
        String same = " AND " + nullSafeEquals(group(groupBy, "f"), group(groupBy, "s"));
        String samePrompt = perPrompt(groupBy) ? " AND " + nullSafeEquals("f.prompt_name", "s.prompt_name") : "";
        return same + samePrompt + (perModel(groupBy) ? " AND " + nullSafeEquals("f.model", "s.model") : "");
    }

    private String nullSafeEquals(String a, String b) {
        return "(" + a + ")" + (dialect == Dialect.SQLITE ? " IS " : " IS NOT DISTINCT FROM ") + "(" + b + ")";
    }
}
