package dev.sextant.server.monitoring;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Builds the dashboard's charts from metric series. */
public final class Dashboard {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd").withZone(ZoneOffset.UTC);

    /** One chart as rendered: title, SVG and legend (both escaped by {@link Charts}). */
    public record Chart(String title, String svg, String legend) {
    }

    private final MetricsService metrics;
    private final String projectId;
    private final TimeRange range;
    private final Duration bucket;
    private final String groupBy;
    private final String promptName;
    private final Predicate<String> shown;

    Dashboard(MetricsService metrics, String projectId, TimeRange range, Duration bucket, String groupBy,
              String promptName, Set<String> compare) {
        this.metrics = metrics;
        this.projectId = projectId;
        this.range = range;
        this.bucket = bucket;
        this.groupBy = groupBy;
        this.promptName = promptName;
        this.shown = compare.isEmpty() ? g -> true : compare::contains;
    }

    private final java.util.Map<Metric, MetricSeries> cache = new java.util.EnumMap<>(Metric.class);

    /** Computes these metrics together: metrics that read the same rows share one scan. */
    void prefetch(List<Metric> wanted) {
        MetricQuery base = new MetricQuery(Metric.TRACES, range, bucket, groupBy, promptName, null, null, null);
        List<MetricSeries> results = metrics.seriesOf(projectId, base, wanted);
        for (int i = 0; i < wanted.size(); i++) {
            cache.put(wanted.get(i), results.get(i));
        }
    }

    MetricSeries series(Metric metric, String evaluator) {
        if (evaluator == null && cache.containsKey(metric)) {
            return cache.get(metric);
        }
        return metrics.series(projectId, new MetricQuery(metric, range, bucket, metric.isScore() ? null : groupBy,
                metric.isScore() ? null : promptName, null, evaluator, null));
    }

    /** A chart of one metric (one line per group), or of several ungrouped metrics as lines. */
    Chart chart(String title, Double yMax, String unit, List<Metric> lines) {
        List<Charts.Series> series = new ArrayList<>();
        List<String> labels = List.of();
        for (Metric metric : lines) {
            MetricSeries result = series(metric, null);
            for (MetricSeries.Series s : result.series()) {
                if (!shown.test(s.group())) {
                    continue;
                }
                String name = lines.size() > 1 ? metric.label() + (s.group().equals("all") ? "" : " · " + s.group())
                        : s.group().equals("all") ? metric.label() : s.group();
                series.add(new Charts.Series(name, s.points().stream().map(MetricSeries.Point::value).toList()));
                labels = labels(s.points());
            }
        }
        return new Chart(title, Charts.lines(series, labels, yMax, unit), Charts.legend(series));
    }

    Chart scoreChart(String evaluator, Metric metric) {
        MetricSeries result = series(metric, evaluator);
        List<Charts.Series> series = result.series().stream().map(s -> new Charts.Series(s.group(),
                s.points().stream().map(MetricSeries.Point::value).toList())).toList();
        List<String> labels = result.series().isEmpty() ? List.of() : labels(result.series().getFirst().points());
        return new Chart(evaluator + " · " + metric.label(), Charts.lines(series, labels,
                metric == Metric.PASS_RATE ? 1.0 : null, ""), Charts.legend(series));
    }

    private List<String> labels(List<MetricSeries.Point> points) {
        DateTimeFormatter format = bucket.compareTo(Duration.ofDays(1)) >= 0 ? DAY : HOUR;
        return points.stream().map(p -> format.format(p.time())).toList();
    }
}
