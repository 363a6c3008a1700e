package dev.sextant.server.monitoring;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Computes metrics per time bucket. Trace and span metrics come from {@link MetricRollups} (hourly
 * rollups merged with raw rows at the edges); percentiles come from merged latency histograms (within
 * 1 % of percentile_cont, see {@link LatencyHistogram}). Score and feedback metrics are aggregated in SQL.
 */
public final class MetricsService {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final MetricRollups rollups;

    public MetricsService(Database database, MetricRollups rollups) {
        this.jdbi = database.jdbi();
        this.dialect = database.dialect();
        this.rollups = rollups;
    }

    /** The SQL pieces of a score or feedback metric's source. */
    private record Source(String from, String time, String where, String group, String value) {
    }

    public MetricSeries series(String projectId, MetricQuery q) {
        return seriesOf(projectId, q, List.of(q.metric())).getFirst();
    }

    /**
     * Several metrics over the same range, bucket, grouping and filters. The trace and span metrics
     * are computed from one set of aggregates, score and feedback metrics that read the same rows in
     * one SQL statement, which is what keeps the dashboard fast.
     */
    public List<MetricSeries> seriesOf(String projectId, MetricQuery base, List<Metric> metrics) {
        Map<Metric, Map<String, Map<Long, MetricSeries.Point>>> results = new HashMap<>();
        Map<String, List<Metric>> scans = new java.util.LinkedHashMap<>();
        Map<String, Source> sources = new HashMap<>();
        List<Metric> traceMetrics = new ArrayList<>();
        for (Metric metric : metrics) {
            if (!metric.isScore() && !metric.isFeedback()) {
                traceMetrics.add(metric);
                continue;
            }
            Source source = source(base.with(metric));
            String key = source.from() + "|" + source.where() + "|" + source.group() + "|" + source.time();
            scans.computeIfAbsent(key, k -> new ArrayList<>()).add(metric);
            sources.put(key, source);
        }
        long bucketMs = base.bucket().toMillis();
        if (!traceMetrics.isEmpty()) {
            fromPartials(projectId, base, traceMetrics, results);
        }
        scans.forEach((key, scanMetrics) -> aggregate(projectId, base, sources.get(key),
                "(" + sources.get(key).time() + " / :b) * :b", scanMetrics, results));
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

    private void fromPartials(String projectId, MetricQuery base, List<Metric> metrics,
                              Map<Metric, Map<String, Map<Long, MetricSeries.Point>>> results) {
        Slice slice = Slice.of(base);
        slice.validate();
        boolean traces = metrics.contains(Metric.TRACES) && slice.spanMode();
        boolean latency = metrics.stream().anyMatch(Metric::isPercentile);
        rollups.partials(projectId, slice, base.range().from().toEpochMilli(), base.range().to().toEpochMilli(),
                base.bucket().toMillis(), traces, latency).forEach((bucket, groups) -> groups.forEach((g, p) -> {
                    for (Metric m : metrics) {
                        Double value = p.value(m);
                        if (value == null) {
                            continue;
                        }
                        results.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(g == null ? "(none)" : g,
                                k -> new HashMap<>()).put(bucket, new MetricSeries.Point(Instant.ofEpochMilli(bucket),
                                value, p.count(m)));
                    }
                }));
    }

    private void aggregate(String projectId, MetricQuery base, Source source, String bucketExpr, List<Metric> metrics,
                           Map<Metric, Map<String, Map<Long, MetricSeries.Point>>> results) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < metrics.size(); i++) {
            Metric m = metrics.get(i);
            Source own = source(base.with(m));
            values.append(own.value()).append(" AS v").append(i).append(", ");
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
        throw new IllegalArgumentException(m.id() + " is computed from trace and span aggregates");
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
}
