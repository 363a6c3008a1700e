package dev.sextant.server.traces;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.evaluators.EvalInput;
import dev.sextant.server.evaluators.ScoreService;
import dev.sextant.server.evaluators.TargetType;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Routes;
import dev.sextant.server.projects.Project;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluation on logged data: the scores of a trace or span (an htmx fragment on the trace page),
 * and the evaluator "try it" example loaded from a trace, span or dataset item.
 */
public final class TraceEvaluationPages {
    private final ScoreService scores;
    private final TraceExamples examples;
    private final Views views;

    public TraceEvaluationPages(ScoreService scores, TraceExamples examples, Views views) {
        this.scores = scores;
        this.examples = examples;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/traces/{id}/scores", Access.READ, this::scores);
        routes.page("GET /p/{project}/eval-example", Access.EDIT, this::example);
    }

    private void scores(Context ctx) {
        String span = ctx.queryParam("span");
        String traceId = ctx.pathParam("id").toLowerCase(Locale.ROOT);
        PageContext page = views.context(ctx, "Scores", PageContext.Section.TRACES);
        Map<String, Object> params = new HashMap<>();
        params.put("scores", scores.forTarget(Authenticator.project(ctx).id(),
                span == null ? TargetType.TRACE : TargetType.SPAN, span == null ? traceId : span, null));
        params.put("evaluatorsUrl", page.url("/evaluators"));
        params.put("showTarget", false);
        ctx.html(views.render("evaluators/scores.jte", params));
    }

    private void example(Context ctx) {
        Project project = Authenticator.project(ctx);
        EvalInput example = null;
        String error = null;
        try {
            String trace = blankToNull(ctx.queryParam("fromTrace"));
            String dataset = blankToNull(ctx.queryParam("fromDataset"));
            if (trace != null) {
                example = examples.fromSpan(project.id(), trace.toLowerCase(Locale.ROOT),
                        blankToNull(ctx.queryParam("fromSpan")));
            } else if (dataset != null && blankToNull(ctx.queryParam("fromItem")) != null) {
                example = examples.fromItem(project, dataset, ctx.queryParam("fromItem").trim());
            } else {
                error = "Give a trace id (and optionally a span id), or a dataset and an item id.";
            }
        } catch (ApiException e) {
            error = e.getMessage();
        }
        Map<String, Object> params = new HashMap<>();
        params.put("compact", false);
        params.put("example", example);
        params.put("loadUrl", views.context(ctx, "Example", PageContext.Section.EVALUATORS).url("/eval-example"));
        params.put("loadError", error);
        ctx.html(views.render("evaluators/example-fields.jte", params));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
