package dev.sextant.server.http;

import dev.sextant.server.auth.Access;
import dev.sextant.server.db.Database;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.function.Supplier;

/** Operational endpoints: health, Prometheus metrics, and the OpenAPI document. */
public final class SystemApi {
    private final Database database;
    private final PrometheusMeterRegistry metrics;
    private final String version;

    public SystemApi(Database database, PrometheusMeterRegistry metrics, String version) {
        this.database = database;
        this.metrics = metrics;
        this.version = version;
    }

    /** @param apiRoutes read when the document is requested, so it covers every route registered */
    public void register(Routes routes, Supplier<java.util.List<ApiRoute>> apiRoutes) {
        routes.page("GET /health", Access.PUBLIC, ctx -> {
            boolean ok = database.isHealthy();
            ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "ok" : "unavailable",
                    "database", database.dialect().name().toLowerCase(java.util.Locale.ROOT), "version", version));
        });
        routes.page("GET /metrics", Access.PUBLIC,
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.api("GET /api/openapi.json", Access.PUBLIC, "This OpenAPI document (public)",
                ctx -> ctx.json(OpenApiDocument.build(apiRoutes.get(), version)));
    }
}
