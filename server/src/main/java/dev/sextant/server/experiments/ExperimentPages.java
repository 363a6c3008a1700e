package dev.sextant.server.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.datasets.DatasetService;
import dev.sextant.server.evaluators.EvaluatorService;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Routes;
import dev.sextant.server.projects.Project;
import dev.sextant.server.prompts.PromptService;
import dev.sextant.server.web.PageContext.Section;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The experiment UI: list, "new experiment" form, live progress, run results and comparisons. */
public final class ExperimentPages {
    static final int FORM_TARGETS = 3;
    private static final int ITEMS_PER_PAGE = 50;

    private final ExperimentService experiments;
    private final ExperimentResults results;
    private final DatasetService datasets;
    private final PromptService prompts;
    private final EvaluatorService evaluators;
    private final Views views;

    public ExperimentPages(ExperimentService experiments, ExperimentResults results, DatasetService datasets,
                           PromptService prompts, EvaluatorService evaluators, Views views) {
        this.experiments = experiments;
        this.results = results;
        this.datasets = datasets;
        this.prompts = prompts;
        this.evaluators = evaluators;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/experiments", Access.READ, this::list);
        routes.page("GET /p/{project}/experiments/new", Access.EDIT, ctx -> form(ctx, Map.of(), null));
        routes.page("POST /p/{project}/experiments/new", Access.EDIT, this::create);
        routes.page("GET /p/{project}/experiments/compare", Access.READ, this::compare);
        routes.page("GET /p/{project}/experiments/{id}", Access.READ, this::detail);
        routes.page("GET /p/{project}/experiments/{id}/progress", Access.READ, this::progress);
        routes.page("POST /p/{project}/experiments/{id}/cancel", Access.EDIT, ctx -> {
            experiments.cancel(project(ctx), Authenticator.principal(ctx), ctx.pathParam("id"));
            ctx.redirect(base(ctx) + "/" + ctx.pathParam("id"));
        });
        routes.page("POST /p/{project}/experiments/{id}/delete", Access.EDIT, this::delete);
        routes.page("GET /p/{project}/experiments/{id}/runs/{runId}", Access.READ, this::run);
    }

    private void list(Context ctx) {
        Map<String, Object> params = new HashMap<>();
        params.put("experiments", experiments.list(project(ctx), ctx.queryParam("cursor"), 50));
        params.put("notice", ctx.queryParam("notice"));
        views.page(ctx, "experiments/list.jte", "Experiments", Section.EXPERIMENTS, params);
    }

    private void form(Context ctx, Map<String, List<String>> values, String error) {
        Project project = project(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("datasets", datasets.list(project, null, null, 200).data());
        params.put("prompts", prompts.list(project, null, null, 200).data());
        params.put("evaluators", evaluators.list(project.id(), null, null, 200).data().stream()
                .filter(e -> e.kind() != dev.sextant.server.evaluators.EvaluatorKind.HUMAN).toList());
        params.put("form", new FormValues(values));
        params.put("error", error);
        params.put("targets", FORM_TARGETS);
        views.page(ctx, "experiments/new.jte", "New experiment", Section.EXPERIMENTS, params);
    }

    /** Submitted form values, for re-rendering the form after an error. */
    public record FormValues(Map<String, List<String>> values) {
        public String get(String name) {
            List<String> v = values.get(name);
            return v == null || v.isEmpty() || v.getFirst() == null ? "" : v.getFirst();
        }

        public boolean has(String name, String value) {
            return values.getOrDefault(name, List.of()).contains(value);
        }
    }

    private void create(Context ctx) {
        Map<String, List<String>> form = ctx.formParamMap();
        FormValues values = new FormValues(form);
        try {
            List<Target> targets = new ArrayList<>();
            for (int i = 0; i < FORM_TARGETS; i++) {
                String prompt = values.get("prompt" + i).strip();
                if (prompt.isEmpty()) {
                    continue;
                }
                String selector = values.get("selector" + i).strip();
                Integer version = null;
                String label = null;
                if (selector.matches("v?\\d+")) {
                    version = Integer.parseInt(selector.replace("v", ""));
                } else if (!selector.isEmpty()) {
                    label = selector;
                }
                String model = values.get("model" + i).strip();
                Target.ModelOverride override = null;
                if (!model.isEmpty()) {
                    String[] parts = model.split("/", 2);
                    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                        throw ApiException.invalid("model override must look like provider/model, e.g. sim/sim-2");
                    }
                    override = new Target.ModelOverride(parts[0].strip(), parts[1].strip(), null, null);
                }
                targets.add(new Target(Target.PROMPT, prompt, label, version, override, null));
            }
            List<JsonNode> evaluatorNames = form.getOrDefault("evaluator", List.of()).stream()
                    .map(n -> (JsonNode) Json.mapper().getNodeFactory().textNode(n)).toList();
            NewExperiment request = new NewExperiment(values.get("name"), values.get("dataset"),
                    integer(values.get("datasetVersion"), "dataset version"), targets, evaluatorNames,
                    integer(values.get("repetitions"), "repetitions"), integer(values.get("concurrency"),
                    "concurrency"), values.get("cache").equals("on"));
            Experiment created = experiments.create(project(ctx), Authenticator.principal(ctx), request).experiment();
            ctx.redirect(base(ctx) + "/" + created.id());
        } catch (ApiException e) {
            if (e.status() >= 500) {
                throw e;
            }
            ctx.status(422);
            form(ctx, form, e.getMessage());
        }
    }

    private static Integer integer(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field + " must be a whole number");
        }
    }

    private void detail(Context ctx) {
        Experiment experiment = experiments.get(project(ctx), ctx.pathParam("id"));
        Map<String, Object> params = new HashMap<>();
        params.put("experiment", experiment);
        params.put("scorecards", results.scorecards(project(ctx), experiment));
        params.put("error", ctx.queryParam("error"));
        views.page(ctx, "experiments/detail.jte", experiment.name(), Section.EXPERIMENTS, params);
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            String name = experiments.get(project(ctx), id).name();
            experiments.delete(project(ctx), Authenticator.principal(ctx), id);
            ctx.redirect(base(ctx) + "?notice=" + URLEncoder.encode("Deleted experiment " + name,
                    StandardCharsets.UTF_8));
        } catch (ApiException e) {
            if (e.status() == 404) {
                throw e;
            }
            ctx.redirect(base(ctx) + "/" + id + "?error="
                    + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8));
        }
    }

    /** The live part of the experiment page, polled by htmx while the experiment runs. */
    private void progress(Context ctx) {
        Experiment experiment = experiments.get(project(ctx), ctx.pathParam("id"));
        Map<String, Object> params = new HashMap<>();
        params.put("page", views.context(ctx, experiment.name(), Section.EXPERIMENTS));
        params.put("experiment", experiment);
        params.put("scorecards", results.scorecards(project(ctx), experiment));
        ctx.html(views.render("experiments/live.jte", params));
    }

    private void run(Context ctx) {
        Project project = project(ctx);
        String id = ctx.pathParam("id");
        Experiment experiment = experiments.get(project, id);
        Run run = experiments.run(project, id, ctx.pathParam("runId"));
        PageOf<RunItem> items = experiments.items(project, id, run.id(), ctx.queryParam("cursor"), ITEMS_PER_PAGE);
        Map<String, Object> params = new HashMap<>();
        params.put("experiment", experiment);
        params.put("run", run);
        params.put("scorecard", results.scorecard(project, id, run.id()));
        params.put("items", items);
        views.page(ctx, "experiments/run.jte", run.label(), Section.EXPERIMENTS, params);
    }

    private void compare(Context ctx) {
        String runs = ctx.queryParam("runs");
        List<String> ids = runs == null ? List.of() : Arrays.asList(runs.split(","));
        List<String> selected = ctx.queryParams("run");
        if (ids.isEmpty() && !selected.isEmpty()) {
            ids = selected;
        }
        String filter = ctx.queryParam("filter") == null ? "all" : ctx.queryParam("filter");
        ExperimentResults.Compared compared = results.compare(project(ctx), ids, ctx.queryParam("criterion"));
        Map<String, Object> params = new HashMap<>();
        params.put("compared", compared);
        params.put("runIds", String.join(",", ids.stream().map(String::strip).toList()));
        params.put("filter", filter);
        views.page(ctx, "experiments/compare.jte", "Compare runs", Section.EXPERIMENTS, params);
    }

    private static Project project(Context ctx) {
        return Authenticator.project(ctx);
    }

    private static String base(Context ctx) {
        return "/p/" + project(ctx).slug() + "/experiments";
    }
}
