package dev.sextant.server.traces;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Routes;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The trace explorer: trace list, trace page (tree, waterfall, span panel) and session page. */
public final class TracePages {
    /** Columns a user may show, in display order; the first ones are shown by default. */
    public static final List<String> COLUMNS = List.of("time", "name", "input", "output", "user", "session", "tags",
            "spans", "tokens", "cost", "latency", "status");
    private static final Set<String> DEFAULT_COLUMNS = Set.of("time", "name", "input", "output", "tokens", "cost",
            "latency", "status");

    private final TraceService traces;
    private final Views views;

    public TracePages(TraceService traces, Views views) {
        this.traces = traces;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/traces", Access.READ, ctx -> list(ctx, "traces/list.jte"));
        routes.page("GET /p/{project}/traces/rows", Access.READ, ctx -> list(ctx, "traces/rows.jte"));
        routes.page("GET /p/{project}/traces/{id}", Access.READ, this::trace);
        routes.page("GET /p/{project}/sessions/{id}", Access.READ, this::session);
        routes.page("GET /p/{project}/settings/pricing", Access.READ, ctx -> pricing(ctx, null));
        routes.page("POST /p/{project}/settings/pricing", Access.ENGINEER, this::setPrice);
        routes.page("POST /p/{project}/settings/pricing/delete", Access.ENGINEER, ctx -> {
            traces.deletePrice(Authenticator.project(ctx).id(), String.valueOf(ctx.formParam("model")),
                    Authenticator.principal(ctx));
            ctx.redirect("/p/" + Authenticator.project(ctx).slug() + "/settings/pricing");
        });
    }

    private void list(Context ctx, String template) {
        TraceQuery query = TraceApi.traceQuery(ctx);
        PageOf<Trace> page = traces.traces(Authenticator.project(ctx).id(), query);
        Set<String> columns = new LinkedHashSet<>(ctx.queryParams("col"));
        columns.retainAll(COLUMNS);
        if (columns.isEmpty()) {
            columns = DEFAULT_COLUMNS;
        }
        Map<String, Object> params = new HashMap<>();
        params.put("traces", page.data());
        params.put("nextCursor", page.nextCursor());
        params.put("columns", columns);
        params.put("filters", filters(ctx));
        params.put("live", "1".equals(ctx.queryParam("live")));
        params.put("query", queryWithout(ctx, "cursor"));
        if (template.equals("traces/rows.jte")) {
            params.put("page", views.context(ctx, "Traces", PageContext.Section.TRACES));
            ctx.html(views.render(template, params));
        } else {
            views.page(ctx, template, "Traces", PageContext.Section.TRACES, params);
        }
    }

    /** The current query string minus {@code drop}, for refresh and next-page links. */
    private static String queryWithout(Context ctx, String drop) {
        return ctx.queryParamMap().entrySet().stream().filter(e -> !e.getKey().equals(drop))
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The filter form's current values by parameter name. */
    private static Map<String, String> filters(Context ctx) {
        return List.of("q", "name", "userId", "sessionId", "tag", "status", "model", "promptName", "minLatencyMs",
                        "minCost", "from", "to", "sort").stream()
                .collect(Collectors.toMap(k -> k, k -> {
                    String v = ctx.queryParam(k);
                    return v == null ? "" : v;
                }));
    }

    private void trace(Context ctx) {
        String id = ctx.pathParam("id").toLowerCase(Locale.ROOT);
        TraceDetail detail = traces.trace(Authenticator.project(ctx).id(), id)
                .orElseThrow(() -> ApiException.notFound("trace " + id));
        List<TraceViews.Row> rows = TraceViews.rows(detail);
        String wanted = ctx.queryParam("span");
        Span selected = rows.stream().map(TraceViews.Row::span).filter(s -> s.id().equals(wanted)).findFirst()
                .orElse(rows.isEmpty() ? null : rows.getFirst().span());
        Map<String, Object> params = new HashMap<>();
        params.put("detail", detail);
        params.put("rows", rows);
        params.put("selected", selected);
        views.page(ctx, "traces/trace.jte", detail.trace().name() == null ? "Trace" : detail.trace().name(),
                PageContext.Section.TRACES, params);
    }

    private void pricing(Context ctx, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("prices", traces.prices(Authenticator.project(ctx).id()));
        params.put("error", error);
        views.page(ctx, "traces/pricing.jte", "Model prices", PageContext.Section.SETTINGS, params);
    }

    private void setPrice(Context ctx) {
        try {
            String model = ctx.formParam("model");
            if (model == null || model.isBlank() || model.length() > 200) {
                throw ApiException.invalid("a model name is required");
            }
            double input = price(ctx.formParam("input"));
            double output = price(ctx.formParam("output"));
            String cached = ctx.formParam("cached");
            traces.putPrice(Authenticator.project(ctx).id(), new ModelPrice(model, input, output,
                    cached == null || cached.isBlank() ? null : price(cached), "project"), Authenticator.principal(ctx));
            ctx.redirect("/p/" + Authenticator.project(ctx).slug() + "/settings/pricing");
        } catch (ApiException e) {
            ctx.status(422);
            pricing(ctx, e.getMessage());
        }
    }

    private static double price(String value) {
        try {
            double price = Double.parseDouble(value == null ? "" : value.trim());
            if (price < 0 || !Double.isFinite(price)) {
                throw ApiException.invalid("prices must be positive numbers of USD per 1M tokens");
            }
            return price;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("prices must be numbers of USD per 1M tokens");
        }
    }

    private void session(Context ctx) {
        String id = ctx.pathParam("id");
        List<Trace> turns = traces.session(Authenticator.project(ctx).id(), id);
        Map<String, Object> params = new HashMap<>();
        params.put("sessionId", id);
        params.put("turns", turns);
        views.page(ctx, "traces/session.jte", "Session " + id, PageContext.Section.TRACES, params);
    }
}
