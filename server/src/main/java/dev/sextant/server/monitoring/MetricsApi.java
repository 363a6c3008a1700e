package dev.sextant.server.monitoring;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.time.Clock;

/** {@code GET /api/metrics}: the dashboard's numbers as JSON. */
public final class MetricsApi {
    private final MetricsService metrics;
    private final Clock clock;

    public MetricsApi(MetricsService metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.api("GET /api/metrics", Access.READ, "A metric per time bucket (metric, from, to, bucket=5m|1h|1d, "
                + "groupBy=promptVersion|model|tag, promptName, model, evaluator, action)", ctx -> ctx.json(
                metrics.series(Authenticator.project(ctx).id(), query(ctx, clock))));
    }

    static MetricQuery query(Context ctx, Clock clock) {
        TimeRange range = TimeRange.of(ctx, clock);
        return new MetricQuery(Metric.parse(ctx.queryParam("metric")), range,
                MetricQuery.bucket(ctx.queryParam("bucket"), range), text(ctx, "groupBy"), text(ctx, "promptName"),
                text(ctx, "model"), text(ctx, "evaluator"), text(ctx, "action"));
    }

    static String text(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
