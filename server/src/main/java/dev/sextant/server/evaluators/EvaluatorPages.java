package dev.sextant.server.evaluators;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Routes;
import dev.sextant.server.web.PageContext.Section;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The evaluator UI: list, editor per kind with a "try it" panel, detail with version history. */
public final class EvaluatorPages {
    private final EvaluatorService evaluators;
    private final ScoreService scores;
    private final Views views;

    public EvaluatorPages(EvaluatorService evaluators, ScoreService scores, Views views) {
        this.evaluators = evaluators;
        this.scores = scores;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/evaluators", Access.READ, this::list);
        routes.page("GET /p/{project}/evaluators/new", Access.EDIT,
                ctx -> editor(ctx, EvaluatorForm.empty(ctx.queryParam("kind")), null, null));
        routes.page("POST /p/{project}/evaluators/new", Access.EDIT, this::save);
        routes.page("POST /p/{project}/evaluators/try", Access.EDIT, this::tryUnsaved);
        routes.page("GET /p/{project}/evaluators/{name}", Access.READ, this::detail);
        routes.page("GET /p/{project}/evaluators/{name}/edit", Access.EDIT, ctx -> {
            Evaluator e = evaluators.get(project(ctx), ctx.pathParam("name"), null);
            editor(ctx, EvaluatorForm.of(e.definition()), null, e);
        });
        routes.page("POST /p/{project}/evaluators/{name}/try", Access.EDIT, this::trySaved);
        routes.page("POST /p/{project}/evaluators/{name}/answer", Access.EDIT, this::answer);
    }

    private void list(Context ctx) {
        String q = ctx.queryParam("q");
        Map<String, Object> params = new HashMap<>();
        params.put("evaluators", evaluators.list(project(ctx), q, ctx.queryParam("cursor"), 100));
        params.put("q", q == null ? "" : q);
        views.page(ctx, "evaluators/list.jte", "Evaluators", Section.EVALUATORS, params);
    }

    private void editor(Context ctx, EvaluatorForm form, String error, Evaluator editing) {
        Map<String, Object> params = new HashMap<>();
        params.put("form", form);
        params.put("error", error);
        params.put("editing", editing);
        params.put("builtins", evaluators.runner().builtins());
        params.put("presets", evaluators.runner().presets());
        views.page(ctx, "evaluators/edit.jte", editing == null ? "New evaluator" : "Edit " + editing.name(),
                Section.EVALUATORS, params);
    }

    private void save(Context ctx) {
        EvaluatorForm form = new EvaluatorForm(ctx.formParamMap());
        Evaluator editing = form.value("editing").isBlank() ? null
                : evaluators.find(project(ctx), form.value("editing"), null).orElse(null);
        try {
            EvaluatorService.Saved saved = evaluators.save(project(ctx), form.toDefinition(),
                    Authenticator.principal(ctx));
            ctx.redirect(detailUrl(ctx, saved.evaluator().name()) + (saved.created() ? "" : "?unchanged=1"));
        } catch (ApiException e) {
            if (e.status() >= 500) {
                throw e;
            }
            ctx.status(422);
            editor(ctx, form, e.getMessage(), editing);
        }
    }

    private void tryUnsaved(Context ctx) {
        EvaluatorForm form = new EvaluatorForm(ctx.formParamMap());
        try {
            judgment(ctx, evaluators.tryIt(project(ctx), form.toDefinition(), form.toExample()), null);
        } catch (ApiException e) {
            judgment(ctx, null, e.getMessage());
        }
    }

    private void trySaved(Context ctx) {
        Evaluator e = evaluators.get(project(ctx), ctx.pathParam("name"), version(ctx));
        try {
            judgment(ctx, evaluators.run(project(ctx), e, new EvaluatorForm(ctx.formParamMap()).toExample()), null);
        } catch (ApiException ex) {
            judgment(ctx, null, ex.getMessage());
        }
    }

    private void answer(Context ctx) {
        Evaluator e = evaluators.get(project(ctx), ctx.pathParam("name"), version(ctx));
        judgment(ctx, evaluators.runner().judgeRubric(e.definition(), ctx.formParamMap()), null);
    }

    /** An htmx fragment; input errors are shown in place (200) so htmx swaps them in. */
    private void judgment(Context ctx, Judgment judgment, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("judgment", judgment);
        params.put("error", error);
        ctx.html(views.render("evaluators/judgment.jte", params));
    }

    private void detail(Context ctx) {
        String name = ctx.pathParam("name");
        Evaluator e = evaluators.get(project(ctx), name, version(ctx));
        Map<String, Object> params = new HashMap<>();
        params.put("evaluator", e);
        params.put("versions", evaluators.versions(project(ctx), name));
        params.put("rubric", e.kind() == EvaluatorKind.HUMAN
                ? dev.sextant.server.http.Json.mapper().convertValue(e.config().get("rubric"), Rubric.class) : null);
        params.put("unchanged", ctx.queryParam("unchanged") != null);
        params.put("scores", scores.recent(project(ctx), name, 20));
        views.page(ctx, "evaluators/detail.jte", e.name(), Section.EVALUATORS, params);
    }

    private static Integer version(Context ctx) {
        String raw = ctx.queryParam("version");
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("version must be a whole number");
        }
    }

    private static String detailUrl(Context ctx, String name) {
        return "/p/" + Authenticator.project(ctx).slug() + "/evaluators/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static String project(Context ctx) {
        return Authenticator.project(ctx).id();
    }
}
