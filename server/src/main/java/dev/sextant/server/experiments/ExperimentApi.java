package dev.sextant.server.experiments;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;

/** REST routes for experiments: start, list, read results, post external outputs, cancel, compare. */
public final class ExperimentApi {
    private final ExperimentService experiments;
    private final ExperimentResults results;

    public ExperimentApi(ExperimentService experiments, ExperimentResults results) {
        this.experiments = experiments;
        this.results = results;
    }

    record OutputsRequest(List<ExternalOutput> outputs) {
    }

    /** An experiment with the scorecard of each run. */
    record Detail(Experiment experiment, List<Scorecard> scorecards) {
    }

    public void register(Routes routes) {
        // Registered before /{id} so that "compare" is not taken for an id.
        routes.api("GET /api/experiments/compare", Access.READ,
                "Compare runs (?runs=baseline,other[,...]&criterion=): deltas with paired bootstrap 95% CIs, "
                        + "verdicts, per-item side by side and Pareto charts", this::compare);
        routes.api("POST /api/experiments", Access.EDIT,
                "Start an experiment: dataset version x targets (prompt or external) x evaluators", this::create);
        routes.api("GET /api/experiments", Access.READ, "List experiments, newest first",
                ctx -> ctx.json(experiments.list(Authenticator.project(ctx), ctx.queryParam("cursor"),
                        Requests.limit(ctx))));
        routes.api("GET /api/experiments/{id}", Access.READ, "An experiment with its runs, progress and scorecards",
                ctx -> {
                    Experiment experiment = experiments.get(Authenticator.project(ctx), ctx.pathParam("id"));
                    ctx.json(new Detail(experiment, results.scorecards(Authenticator.project(ctx), experiment)));
                });
        routes.api("GET /api/experiments/{id}/runs/{runId}", Access.READ, "A run's scorecard",
                ctx -> ctx.json(results.scorecard(Authenticator.project(ctx), ctx.pathParam("id"),
                        ctx.pathParam("runId"))));
        routes.api("GET /api/experiments/{id}/runs/{runId}/items", Access.READ,
                "A run's items (output, trace id, judgments, latency, tokens, cost), paginated",
                ctx -> ctx.json(experiments.items(Authenticator.project(ctx), ctx.pathParam("id"),
                        ctx.pathParam("runId"), ctx.queryParam("cursor"), Requests.limit(ctx))));
        routes.api("POST /api/experiments/{id}/runs/{runId}/outputs", Access.EDIT,
                "Post outputs of an external run; evaluators then run on the server", this::outputs);
        routes.api("DELETE /api/experiments/{id}", Access.EDIT,
                "Delete a finished experiment with its runs, items, judgments and comments (its traces stay)", ctx -> {
                    experiments.delete(Authenticator.project(ctx), Authenticator.principal(ctx), ctx.pathParam("id"));
                    ctx.status(204);
                });
        routes.api("POST /api/experiments/{id}/cancel", Access.EDIT, "Cancel a queued or running experiment",
                ctx -> ctx.json(experiments.cancel(Authenticator.project(ctx), Authenticator.principal(ctx),
                        ctx.pathParam("id"))));
    }

    private void create(Context ctx) {
        NewExperiment request = Requests.json(ctx, NewExperiment.class);
        ctx.status(201).json(experiments.create(Authenticator.project(ctx), Authenticator.principal(ctx), request));
    }

    private void outputs(Context ctx) {
        OutputsRequest request = Requests.json(ctx, OutputsRequest.class);
        ctx.status(202).json(experiments.postOutputs(Authenticator.project(ctx), ctx.pathParam("id"),
                ctx.pathParam("runId"), request.outputs()));
    }

    private void compare(Context ctx) {
        String runs = ctx.queryParam("runs");
        if (runs == null || runs.isBlank()) {
            throw ApiException.badRequest("runs is required: two or more run ids, comma-separated (baseline first)");
        }
        ctx.json(results.compare(Authenticator.project(ctx), Arrays.asList(runs.split(",")),
                ctx.queryParam("criterion")));
    }
}
