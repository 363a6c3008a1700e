package dev.sextant.server.monitoring;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.db.Database;
import dev.sextant.server.http.Routes;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The monitoring dashboard: time-series charts over a chosen range, optionally per prompt version, model or tag. */
public final class MonitoringPages {
    static final Map<String, Duration> RANGES = Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24),
            "7d", Duration.ofDays(7), "30d", Duration.ofDays(30));

    private final MetricsService metrics;
    private final Database database;
    private final Views views;
    private final Clock clock;

    public MonitoringPages(MetricsService metrics, Database database, Views views, Clock clock) {
        this.metrics = metrics;
        this.database = database;
        this.views = views;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/monitoring", Access.READ, this::dashboard);
    }

    private void dashboard(Context ctx) {
        String projectId = Authenticator.project(ctx).id();
        String requested = ctx.queryParam("range");
        String rangeName = requested != null && RANGES.containsKey(requested) ? requested : "7d";
        Instant to = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        TimeRange range = new TimeRange(to.minus(RANGES.get(rangeName)), to);
        Duration bucket = MetricQuery.bucket(MetricsApi.text(ctx, "bucket"), range);
        String groupBy = MetricsApi.text(ctx, "groupBy");
        if (groupBy != null && !Set.of("promptVersion", "model", "tag").contains(groupBy)) {
            groupBy = null;
        }
        String promptName = "tag".equals(groupBy) ? null : MetricsApi.text(ctx, "promptName");
        Set<String> compare = new LinkedHashSet<>();
        for (String key : List.of("a", "b")) {
            String value = MetricsApi.text(ctx, key);
            if (value != null) {
                compare.add(value);
            }
        }
        Dashboard board = new Dashboard(metrics, projectId, range, bucket, groupBy, promptName, compare);
        List<Dashboard.Chart> charts = new ArrayList<>();
        boolean grouped = groupBy != null;
        List<Metric> shown = new ArrayList<>(List.of(Metric.TRACES, Metric.SPANS, Metric.ERRORS, Metric.ERROR_RATE,
                Metric.TOKENS, Metric.COST, Metric.LATENCY_P50, Metric.LATENCY_P95, Metric.LATENCY_P99));
        if (!"tag".equals(groupBy)) {
            shown.addAll(List.of(Metric.VOTE_RATIO, Metric.ACTIONS));
        }
        board.prefetch(shown);
        if (grouped) {
            charts.add(board.chart("Traces", null, "", List.of(Metric.TRACES)));
            charts.add(board.chart("Latency p95", null, " ms", List.of(Metric.LATENCY_P95)));
        } else {
            charts.add(board.chart("Traces and spans", null, "", List.of(Metric.TRACES, Metric.SPANS)));
            charts.add(board.chart("Latency", null, " ms", List.of(Metric.LATENCY_P50, Metric.LATENCY_P95,
                    Metric.LATENCY_P99)));
        }
        charts.add(board.chart("Errors", null, "", List.of(Metric.ERRORS)));
        charts.add(board.chart("Error rate", 1.0, "", List.of(Metric.ERROR_RATE)));
        charts.add(board.chart("Tokens", null, "", List.of(Metric.TOKENS)));
        charts.add(board.chart("Cost", null, " $", List.of(Metric.COST)));
        if (!"tag".equals(groupBy)) {
            charts.add(board.chart("Vote ratio (up / votes)", 1.0, "", List.of(Metric.VOTE_RATIO)));
            charts.add(board.chart("End-user actions", null, "", List.of(Metric.ACTIONS)));
        }
        List<String> evaluators = evaluatorsWithScores(projectId, range);
        for (String evaluator : evaluators) {
            charts.add(board.scoreChart(evaluator, Metric.PASS_RATE));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("charts", charts);
        params.put("range", rangeName);
        params.put("groupBy", groupBy == null ? "" : groupBy);
        params.put("promptName", promptName == null ? "" : promptName);
        params.put("groups", grouped ? board.series(Metric.TRACES, null).series().stream()
                .map(MetricSeries.Series::group).toList() : List.of());
        params.put("compare", List.copyOf(compare));
        params.put("empty", !hasTraces(projectId, range));
        views.page(ctx, "monitoring/dashboard.jte", "Monitoring", PageContext.Section.MONITORING, params);
    }

    private List<String> evaluatorsWithScores(String projectId, TimeRange range) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT evaluator_name FROM scores "
                        + "WHERE project_id = :p AND created_at >= :from AND created_at < :to ORDER BY evaluator_name "
                        + "LIMIT 12").bind("p", projectId).bind("from", range.from()).bind("to", range.to())
                .mapTo(String.class).list());
    }

    /** One index probe: counting a month of traces would cost more than the rolled-up charts. */
    private boolean hasTraces(String projectId, TimeRange range) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT 1 FROM traces WHERE project_id = :p "
                        + "AND start_time >= :from AND start_time < :to LIMIT 1").bind("p", projectId)
                .bind("from", range.from()).bind("to", range.to()).mapTo(Integer.class).findOne().isPresent());
    }
}
