package dev.sextant.server.traces;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import java.util.Locale;

/** REST routes that promote traces and spans into datasets. */
public final class TraceDatasetApi {
    private final TraceDatasets promotion;

    public TraceDatasetApi(TraceDatasets promotion) {
        this.promotion = promotion;
    }

    public void register(Routes routes) {
        routes.api("POST /api/traces/to-dataset", Access.EDIT,
                "Add every trace matching the list filters (query parameters as GET /api/traces) to a dataset "
                        + "through a field mapping", ctx -> ctx.json(promotion.addMany(Authenticator.project(ctx),
                        Authenticator.principal(ctx), TraceApi.traceQuery(ctx),
                        Requests.json(ctx, TraceDatasets.Many.class))));
        routes.api("POST /api/traces/{id}/to-dataset", Access.EDIT,
                "Add a trace or one of its spans to a dataset, optionally with a corrected expected output",
                ctx -> ctx.json(promotion.addOne(Authenticator.project(ctx), Authenticator.principal(ctx),
                        ctx.pathParam("id").toLowerCase(Locale.ROOT), Requests.json(ctx, TraceDatasets.One.class))));
    }
}
