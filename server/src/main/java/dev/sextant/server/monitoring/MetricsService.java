package dev.sextant.server.monitoring;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.http.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Computes metrics per time bucket in SQL. Trace metrics read the traces table (rolled-up totals);
 * filtered or grouped by model or prompt version they read the LLM spans instead. Percentiles use
 * percentile_cont on PostgreSQL; on SQLite (no percentile function) the latencies are read as a
 * histogram per bucket with at most 1% relative rounding and interpolated here.
 */
public final class MetricsService {
    private final Jdbi jdbi;
    private final Dialect dialect;

    public MetricsService(Database database) {
        this.jdbi = database.jdbi();
        this.dialect = database.dialect();
    }

    /** The SQL pieces of one metric's source. */
    private record Source(String from, String time, String where, String group, String value) {
    }

    public MetricSeries series(String projectId, MetricQuery q) {
        return seriesOf(projectId, q, List.of(q.metric())).getFirst();
    }

    /**
     * Several metrics over the same range, bucket, grouping and filters. Metrics that read the same rows
     * are computed in one SQL statement (one scan), which is what keeps the dashboard fast.
     */
    public List<MetricSeries> seriesOf(String projectId, MetricQuery base, List<Metric> metrics) {
        Map<Metric, Map<String, Map<Long, MetricSeries.Point>>> results = new HashMap<>();
        Map<String, List<Metric>> scans = new java.util.LinkedHashMap<>();
        Map<String, Source> sources = new HashMap<>();
        for (Metric metric : metrics) {
            Source source = source(base.with(metric));
            boolean histogram = metric.isPercentile() && dialect == Dialect.SQLITE;
            String key = source.from() + "|" + source.where() + "|" + source.group() + "|" + source.time()
                    + (histogram ? "|histogram " + source.value() : "");
            scans.computeIfAbsent(key, k -> new ArrayList<>()).add(metric);
            sources.put(key, source);
        }
        long bucketMs = base.bucket().toMillis();
        scans.forEach((key, scanMetrics) -> {
            Source source = sources.get(key);
            String bucketExpr = "(" + source.time() + " / :b) * :b";
            if (key.contains("|histogram ")) {
                percentilesFromHistogram(projectId, base, source, bucketExpr, scanMetrics, results);
            } else {
                aggregate(projectId, base, source, bucketExpr, scanMetrics, results);
            }
        });
        long first = Math.floorDiv(base.range().from().toEpochMilli(), bucketMs) * bucketMs;
        long end = base.range().to().toEpochMilli();
        List<MetricSeries> all = new ArrayList<>();
        for (Metric metric : metrics) {
            List<MetricSeries.Series> series = new ArrayList<>();
            results.getOrDefault(metric, Map.of()).forEach((group, points) -> {
                List<MetricSeries.Point> filled = new ArrayList<>();
                for (long t = first; t < end; t += bucketMs) {
                    filled.add(points.getOrDefault(t, new MetricSeries.Point(Instant.ofEpochMilli(t), null, 0)));
                }
                series.add(new MetricSeries.Series(group, filled));
            });
            all.add(new MetricSeries(metric.id(), base.range().from(), base.range().to(), base.bucket().toSeconds(),
                    series));
        }
        return all;
    }

    private void aggregate(String projectId, MetricQuery base, Source source, String bucketExpr, List<Metric> metrics,
                           Map<Metric, Map<String, Map<Long, MetricSeries.Point>>> results) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < metrics.size(); i++) {
            Metric m = metrics.get(i);
            Source own = source(base.with(m));
            values.append(m.isPercentile() ? "percentile_cont(" + m.quantile() + ") WITHIN GROUP (ORDER BY "
                    + own.value() + ")" : own.value()).append(" AS v").append(i).append(", ");
        }
        String sql = "SELECT " + bucketExpr + " AS bucket, " + source.group() + " AS g, " + values
                + "COUNT(*) AS n FROM " + source.from() + " WHERE " + source.where() + " GROUP BY 1"
                + (source.group().startsWith("'") ? "" : ", 2");
        jdbi.useHandle(h -> bind(h.createQuery(sql), projectId, base, base.bucket().toMillis()).map((rs, ctx) -> {
            long bucket = rs.getLong("bucket");
            String group = rs.getString("g") == null ? "(none)" : rs.getString("g");
            long n = rs.getLong("n");
            for (int i = 0; i < metrics.size(); i++) {
                double v = rs.getDouble("v" + i);
                Double value = rs.wasNull() ? null : v;
                results.computeIfAbsent(metrics.get(i), k -> new TreeMap<>()).computeIfAbsent(group,
                        k -> new HashMap<>()).put(bucket, new MetricSeries.Point(Instant.ofEpochMilli(bucket), value, n));
            }
            return 0;
        }).list());
    }

    /** One value over the whole range (alerts); null when there was no data. */
    public Double total(String projectId, Metric metric, TimeRange range, String evaluator) {
        // A bucket longer than the epoch puts every row in bucket 0.
        MetricSeries result = series(projectId, new MetricQuery(metric, range, WHOLE, null, null, null, evaluator,
                null));
        Double value = null;
        for (MetricSeries.Series s : result.series()) {
            Double v = s.points().getFirst().value();
            if (v != null) {
                // Score metrics come per evaluator; without one the worst (lowest) counts.
                value = value == null ? v : Math.min(value, v);
            }
        }
        if (value == null && (metric == Metric.TRACES || metric == Metric.ERRORS || metric == Metric.COST
                || metric == Metric.TOKENS || metric == Metric.SPANS || metric == Metric.ACTIONS)) {
            return 0.0;
        }
        return value;
    }

    private static final java.time.Duration WHOLE = java.time.Duration.ofDays(1_000_000);

    private Query bind(Query query, String projectId, MetricQuery q, long bucketMs) {
        return query.bind("p", projectId).bind("b", bucketMs).bind("from", q.range().from())
                .bind("to", q.range().to()).bind("prompt", q.promptName()).bind("model", q.model())
                .bind("evaluator", q.evaluator()).bind("action", q.action());
    }

    private Source source(MetricQuery q) {
        Metric m = q.metric();
        if (m.isScore()) {
            // A score without a pass verdict (no saved evaluator) passes when its value is true.
            String value = m == Metric.PASS_RATE ? "CASE WHEN passed IS NOT NULL THEN (CASE WHEN passed THEN 1.0 ELSE "
                    + "0.0 END) WHEN value = 'true' THEN 1.0 ELSE 0.0 END"
                    : "CASE WHEN value = 'true' THEN 1.0 WHEN value = 'false' THEN 0.0 ELSE CAST(value AS "
                    + (dialect == Dialect.SQLITE ? "REAL" : "DOUBLE PRECISION") + ") END";
            String where = "project_id = :p AND created_at >= :from AND created_at < :to AND error IS NULL"
                    + (m == Metric.PASS_RATE ? " AND (passed IS NOT NULL OR value IN ('true', 'false'))" : " AND value IS NOT NULL AND value NOT LIKE '\"%'")
                    + (q.evaluator() == null ? "" : " AND evaluator_name = :evaluator");
            return new Source("scores", "created_at", where, "evaluator_name", "AVG(" + value + ")");
        }
        if (m.isFeedback()) {
            String where = "project_id = :p AND created_at >= :from AND created_at < :to"
                    + (m == Metric.ACTIONS ? " AND kind = 'action'" + (q.action() == null ? "" : " AND action = :action")
                    : " AND kind = 'vote'")
                    + (q.promptName() == null ? "" : " AND prompt_name = :prompt")
                    + (q.model() == null ? "" : " AND model = :model");
            String value = switch (m) {
                case VOTE_RATIO -> "AVG(CASE WHEN vote > 0 THEN 1.0 ELSE 0.0 END)";
                case NEGATIVE_FEEDBACK_RATE -> "AVG(CASE WHEN vote < 0 THEN 1.0 ELSE 0.0 END)";
                default -> "COUNT(*)";
            };
            return new Source("feedback", "created_at", where, group(q, ""), value);
        }
        if (q.spanMode()) {
            if ("tag".equals(q.groupBy())) {
                throw ApiException.invalid("groupBy=tag cannot be combined with a model or prompt filter");
            }
            String where = "s.project_id = :p AND s.sort_time >= :from AND s.sort_time < :to "
                    + "AND (s.model IS NOT NULL OR s.prompt_name IS NOT NULL)"
                    + (q.promptName() == null ? "" : " AND s.prompt_name = :prompt")
                    + (q.model() == null ? "" : " AND s.model = :model")
                    + (m.isPercentile() ? " AND s.end_time IS NOT NULL AND s.start_time IS NOT NULL" : "");
            String latency = "(s.end_time - s.start_time)";
            String value = switch (m) {
                case TRACES -> "COUNT(DISTINCT s.trace_id)";
                case SPANS -> "COUNT(*)";
                case ERRORS -> "SUM(CASE WHEN s.status = 'error' THEN 1 ELSE 0 END)";
                case ERROR_RATE -> "AVG(CASE WHEN s.status = 'error' THEN 1.0 ELSE 0.0 END)";
                case TOKENS -> "SUM(COALESCE(s.input_tokens, 0) + COALESCE(s.output_tokens, 0))";
                case COST -> "SUM(COALESCE(s.cost, 0))";
                default -> latency;
            };
            return new Source("spans s", "s.sort_time", where, group(q, "s."), value);
        }
        String from = "traces t";
        if ("tag".equals(q.groupBy())) {
            from = dialect == Dialect.SQLITE ? "traces t, json_each(CASE WHEN json_valid(t.tags) THEN t.tags "
                    + "ELSE '[]' END) j" : "traces t CROSS JOIN LATERAL json_array_elements_text(CAST(COALESCE(t.tags, "
                    + "'[]') AS json)) AS j(value)";
        }
        String value = switch (m) {
            case TRACES -> "COUNT(*)";
            case SPANS -> "SUM(t.span_count)";
            case ERRORS -> "SUM(CASE WHEN t.status = 'error' THEN 1 ELSE 0 END)";
            case ERROR_RATE -> "AVG(CASE WHEN t.status = 'error' THEN 1.0 ELSE 0.0 END)";
            case TOKENS -> "SUM(t.total_tokens)";
            case COST -> "SUM(t.cost)";
            default -> "t.latency_ms";
        };
        return new Source(from, "t.start_time", "t.project_id = :p AND t.start_time >= :from AND t.start_time < :to",
                "tag".equals(q.groupBy()) ? "j.value" : "'all'", value);
    }

    private static String group(MetricQuery q, String alias) {
        if ("model".equals(q.groupBy())) {
            return alias + "model";
        }
        if ("promptVersion".equals(q.groupBy())) {
            return alias + "prompt_name || ' v' || CAST(" + alias + "prompt_version AS TEXT)";
        }
        return "'all'";
    }

    /** SQLite: latencies rounded to at most 1% per bucket and group, counted, then interpolated like percentile_cont. */
    private void percentilesFromHistogram(String projectId, MetricQuery q, Source source, String bucketExpr,
                                          List<Metric> metrics,
                                          Map<Metric, Map<String, Map<Long, MetricSeries.Point>>> results) {
        String l = source.value();
        String rounded = "CASE WHEN " + l + " < 1000 THEN " + l + " WHEN " + l + " < 10000 THEN (" + l + " / 10) * 10 "
                + "WHEN " + l + " < 100000 THEN (" + l + " / 100) * 100 ELSE (" + l + " / 1000) * 1000 END";
        String sql = "SELECT " + bucketExpr + " AS bucket, " + source.group() + " AS g, " + rounded + " AS l, "
                + "COUNT(*) AS n FROM " + source.from() + " WHERE " + source.where() + " GROUP BY 1"
                + (source.group().startsWith("'") ? "" : ", 2") + ", 3 ORDER BY 1, 3";
        Map<String, Map<Long, List<long[]>>> histograms = new TreeMap<>();
        jdbi.useHandle(h -> bind(h.createQuery(sql), projectId, q, q.bucket().toMillis()).map((rs, ctx) -> {
            String g = rs.getString("g") == null ? "(none)" : rs.getString("g");
            histograms.computeIfAbsent(g, k -> new HashMap<>()).computeIfAbsent(rs.getLong("bucket"),
                    k -> new ArrayList<>()).add(new long[] {rs.getLong("l"), rs.getLong("n")});
            return 0;
        }).list());
        histograms.forEach((g, buckets) -> buckets.forEach((bucket, hist) -> {
            long total = hist.stream().mapToLong(e -> e[1]).sum();
            for (Metric m : metrics) {
                results.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(g, k -> new HashMap<>()).put(bucket,
                        new MetricSeries.Point(Instant.ofEpochMilli(bucket), quantile(hist, total, m.quantile()), total));
            }
        }));
    }

    /** percentile_cont over a sorted histogram of (value, count). */
    static double quantile(List<long[]> sortedHistogram, long total, double p) {
        double rank = p * (total - 1);
        long lower = (long) Math.floor(rank);
        double fraction = rank - lower;
        Double low = null;
        long seen = 0;
        for (long[] entry : sortedHistogram) {
            long next = seen + entry[1];
            if (low == null && lower < next) {
                low = (double) entry[0];
                if (fraction == 0 || lower + 1 < next) {
                    return low;
                }
            } else if (low != null) {
                return low + fraction * (entry[0] - low);
            }
            seen = next;
        }
        return low == null ? 0 : low;
    }
}
