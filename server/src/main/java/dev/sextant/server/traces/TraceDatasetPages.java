package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.datasets.Dataset;
import dev.sextant.server.datasets.DatasetService;
import dev.sextant.server.datasets.VersionChange;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.Routes;
import dev.sextant.server.projects.Project;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "Add to dataset" forms: on the span panel (input variables and expected output editable, so a
 * wrong answer can be stored corrected) and on the trace list (every matching trace, with a mapping).
 * Both are htmx fragments answered in place.
 */
public final class TraceDatasetPages {
    private final TraceDatasets promotion;
    private final DatasetService datasets;
    private final Views views;

    public TraceDatasetPages(TraceDatasets promotion, DatasetService datasets, Views views) {
        this.promotion = promotion;
        this.datasets = datasets;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/traces/{id}/to-dataset", Access.EDIT, this::form);
        routes.page("POST /p/{project}/traces/{id}/to-dataset", Access.EDIT, this::addOne);
        routes.page("POST /p/{project}/traces/to-dataset", Access.EDIT, this::addMany);
    }

    private void form(Context ctx) {
        String traceId = ctx.pathParam("id").toLowerCase(Locale.ROOT);
        TraceDatasets.Draft draft = promotion.draft(Authenticator.project(ctx).id(), traceId, ctx.queryParam("span"));
        JsonNode expected = draft.expectedOutput();
        render(ctx, draft, "", TraceViews.pretty(draft.input()), expected == null ? ""
                : expected.isTextual() ? expected.asText() : TraceViews.pretty(expected), expected != null && !expected.isTextual(),
                null, null);
    }

    private void addOne(Context ctx) {
        String traceId = ctx.pathParam("id").toLowerCase(Locale.ROOT);
        Project project = Authenticator.project(ctx);
        String span = ctx.formParam("spanId");
        TraceDatasets.Draft draft = promotion.draft(project.id(), traceId, span);
        String dataset = text(ctx, "dataset");
        String input = text(ctx, "input");
        String expected = text(ctx, "expected");
        boolean expectedJson = "true".equals(ctx.formParam("expectedJson"));
        try {
            JsonNode inputNode = parse(input, "input variables");
            JsonNode expectedNode = expected.isBlank() ? null
                    : expectedJson ? parse(expected, "expected output") : TextNode.valueOf(expected);
            VersionChange change = promotion.addOne(project, Authenticator.principal(ctx), traceId,
                    new TraceDatasets.One(dataset, draft.spanId(), inputNode, expectedNode, null, true));
            render(ctx, draft, dataset, input, expected, expectedJson, change, null);
        } catch (ApiException e) {
            ctx.status(e.status());
            render(ctx, draft, dataset, input, expected, expectedJson, null, e.getMessage());
        }
    }

    private void render(Context ctx, TraceDatasets.Draft draft, String dataset, String input, String expected,
                        boolean expectedJson, VersionChange added, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("page", views.context(ctx, "Add to dataset", PageContext.Section.TRACES));
        params.put("draft", draft);
        params.put("dataset", dataset);
        params.put("input", input);
        params.put("expected", expected);
        params.put("expectedJson", expectedJson);
        params.put("datasets", names(Authenticator.project(ctx)));
        params.put("added", added);
        params.put("error", error);
        ctx.html(views.render("traces/to-dataset.jte", params));
    }

    private void addMany(Context ctx) {
        Project project = Authenticator.project(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("page", views.context(ctx, "Add to dataset", PageContext.Section.TRACES));
        try {
            String mapping = text(ctx, "mapping");
            Map<String, String> parsed = mapping.isBlank() ? null
                    : Json.mapper().convertValue(parse(mapping, "mapping"),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
            params.put("added", promotion.addMany(project, Authenticator.principal(ctx), TraceApi.traceQuery(ctx),
                    new TraceDatasets.Many(text(ctx, "dataset"), parsed, true)));
            params.put("error", null);
        } catch (ApiException e) {
            ctx.status(e.status());
            params.put("added", null);
            params.put("error", e.getMessage());
        } catch (IllegalArgumentException e) {
            ctx.status(422);
            params.put("added", null);
            params.put("error", "mapping must be a JSON object of target → source field names");
        }
        ctx.html(views.render("traces/to-dataset-result.jte", params));
    }

    private List<String> names(Project project) {
        return datasets.list(project, null, null, 200).data().stream().map(Dataset::name).toList();
    }

    private static String text(Context ctx, String field) {
        String value = ctx.formParam(field);
        return value == null ? "" : value;
    }

    private static JsonNode parse(String text, String what) {
        try {
            return Json.mapper().readTree(text.isBlank() ? "{}" : text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.invalid(what + " must be valid JSON: " + e.getOriginalMessage());
        }
    }
}
