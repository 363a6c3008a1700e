package dev.sextant.server.traces;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/** REST routes: native ingestion, trace/span/session queries and model pricing. */
public final class TraceApi {
    private final TraceService traces;

    public TraceApi(TraceService traces) {
        this.traces = traces;
    }

    public void register(Routes routes) {
        routes.api("POST /api/ingest", Access.INGEST, "Create or update traces and spans (native JSON batch, idempotent by id)",
                this::ingest);
        routes.api("GET /api/traces", Access.READ, "Search traces (filters, sort by time|latency|cost, cursor pages)",
                ctx -> ctx.json(traces.traces(projectId(ctx), traceQuery(ctx))));
        routes.api("GET /api/traces/{id}", Access.READ, "A trace with its span tree", ctx -> ctx.json(
                traces.trace(projectId(ctx), ctx.pathParam("id").toLowerCase(Locale.ROOT))
                        .orElseThrow(() -> ApiException.notFound("trace " + ctx.pathParam("id")))));
        routes.api("GET /api/spans", Access.READ, "Search spans (kind, model, name, traceId, promptName, status, time)",
                ctx -> ctx.json(traces.spans(projectId(ctx), spanQuery(ctx))));
        routes.api("GET /api/sessions/{id}", Access.READ, "A session's traces in time order",
                ctx -> ctx.json(new PageOf<>(traces.session(projectId(ctx), ctx.pathParam("id")), null)));
        routes.api("GET /api/pricing", Access.READ, "Model prices in effect (project overrides, then shipped table)",
                ctx -> ctx.json(new PageOf<>(traces.prices(projectId(ctx)), null)));
        routes.api("PUT /api/pricing", Access.ENGINEER, "Set the project's price of a model (USD per 1M tokens)",
                this::putPrice);
        routes.api("DELETE /api/pricing/{model}", Access.ENGINEER, "Remove the project's price override of a model",
                ctx -> {
                    if (!traces.deletePrice(projectId(ctx), ctx.pathParam("model"), Authenticator.principal(ctx))) {
                        throw ApiException.notFound("price override for " + ctx.pathParam("model"));
                    }
                    ctx.status(204);
                });
    }

    private static String projectId(Context ctx) {
        return Authenticator.project(ctx).id();
    }

    private void ingest(Context ctx) {
        IngestRequest request = Requests.json(ctx, IngestRequest.class);
        ctx.json(traces.ingest(projectId(ctx), request));
    }

    record PriceRequest(String model, Double input, Double output, Double cached) {
    }

    private void putPrice(Context ctx) {
        PriceRequest request = Requests.json(ctx, PriceRequest.class);
        String model = Requests.requireText(request.model(), "model", 200);
        if (request.input() == null || request.output() == null || request.input() < 0 || request.output() < 0
                || (request.cached() != null && request.cached() < 0)) {
            throw ApiException.invalid("input and output prices (USD per 1M tokens, not negative) are required");
        }
        ctx.json(traces.putPrice(projectId(ctx), new ModelPrice(model, request.input(), request.output(),
                request.cached(), "project"), Authenticator.principal(ctx)));
    }

    static TraceQuery traceQuery(Context ctx) {
        String sort = text(ctx, "sort");
        TraceQuery.Sort order;
        try {
            order = sort == null ? TraceQuery.Sort.TIME : TraceQuery.Sort.valueOf(sort.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("sort must be time, latency or cost");
        }
        String status = text(ctx, "status");
        if (status != null && !status.equals("ok") && !status.equals("error")) {
            throw ApiException.badRequest("status must be ok or error");
        }
        return new TraceQuery(time(ctx, "from"), time(ctx, "to"), text(ctx, "name"), text(ctx, "userId"),
                text(ctx, "sessionId"), text(ctx, "tag"), status, number(ctx, "minLatencyMs", Long::valueOf),
                number(ctx, "minCost", Double::valueOf), text(ctx, "model"), text(ctx, "promptName"), text(ctx, "q"),
                order, text(ctx, "cursor"), Requests.limit(ctx));
    }

    static SpanQuery spanQuery(Context ctx) {
        String kind = text(ctx, "kind");
        if (kind != null && SpanKind.parse(kind) == null) {
            throw ApiException.badRequest("unknown span kind '" + kind + "'");
        }
        return new SpanQuery(lower(text(ctx, "traceId")), kind == null ? null : SpanKind.parse(kind).id(),
                text(ctx, "model"), text(ctx, "name"), text(ctx, "promptName"), text(ctx, "status"),
                time(ctx, "from"), time(ctx, "to"), text(ctx, "cursor"), Requests.limit(ctx));
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    static String text(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Instant time(Context ctx, String name) {
        String value = text(ctx, name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
        }
    }

    private static <T> T number(Context ctx, String name, Function<String, T> parse) {
        String value = text(ctx, name);
        try {
            return value == null ? null : parse.apply(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number");
        }
    }
}
