package dev.sextant.server.evaluators;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.util.List;

/** REST routes for evaluators: versioned definitions, the built-in/preset library and "try it". */
public final class EvaluatorApi {
    private final EvaluatorService evaluators;

    public EvaluatorApi(EvaluatorService evaluators) {
        this.evaluators = evaluators;
    }

    public void register(Routes routes) {
        routes.api("POST /api/evaluators", Access.EDIT,
                "Save an evaluator version (201 new version; 200 when identical to the latest)", this::save);
        routes.api("GET /api/evaluators", Access.READ, "List evaluators (latest versions), ?search= by name",
                ctx -> ctx.json(evaluators.list(project(ctx), ctx.queryParam("search"), ctx.queryParam("cursor"),
                        Requests.limit(ctx))));
        routes.api("GET /api/evaluators/{name}", Access.READ, "An evaluator's latest version, or ?version=N",
                ctx -> ctx.json(evaluators.get(project(ctx), ctx.pathParam("name"), version(ctx))));
        routes.api("GET /api/evaluators/{name}/versions", Access.READ, "All versions of an evaluator, newest first",
                ctx -> ctx.json(new PageOf<>(evaluators.versions(project(ctx), ctx.pathParam("name")), null)));
        routes.api("POST /api/evaluators/try", Access.EDIT,
                "Run an unsaved evaluator definition on a pasted example and return the judgment", this::tryIt);
        routes.api("POST /api/evaluators/pairwise", Access.EDIT,
                "Compare two outputs with an LLM judge in both orders (a tie when the orders disagree)",
                this::pairwise);
        routes.api("GET /api/evaluator-library", Access.READ, "Built-in code evaluators and LLM-judge presets",
                ctx -> ctx.json(new Library(evaluators.runner().builtins(), evaluators.runner().presets())));
    }

    record Library(List<EvaluatorRunner.BuiltinInfo> builtins, List<JudgePreset> presets) {
    }

    record TryRequest(EvaluatorDefinition evaluator, EvalInput example) {
    }

    record PairwiseRequest(String template, com.fasterxml.jackson.databind.JsonNode model, EvalInput example,
                           String outputA, String outputB) {
    }

    private void save(Context ctx) {
        EvaluatorDefinition definition = Requests.json(ctx, EvaluatorDefinition.class);
        EvaluatorService.Saved saved = evaluators.save(project(ctx), definition, Authenticator.principal(ctx));
        ctx.status(saved.created() ? 201 : 200).json(saved.evaluator());
    }

    private void tryIt(Context ctx) {
        TryRequest request = Requests.json(ctx, TryRequest.class);
        if (request.evaluator() == null) {
            throw ApiException.invalid("evaluator (an evaluator definition) is required");
        }
        if (request.example() == null) {
            throw ApiException.invalid("example (output, expected, input, ...) is required");
        }
        ctx.json(evaluators.tryIt(project(ctx), request.evaluator(), request.example()));
    }

    private void pairwise(Context ctx) {
        PairwiseRequest request = Requests.json(ctx, PairwiseRequest.class);
        if (request.outputA() == null || request.outputB() == null) {
            throw ApiException.invalid("outputA and outputB are required");
        }
        EvalInput example = request.example() == null ? EvalInput.ofOutput(null) : request.example();
        try {
            ctx.json(evaluators.runner().pairwise().compare(project(ctx), request.template(),
                    EvaluatorRunner.modelConfig(request.model()), example, request.outputA(), request.outputB()));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    private static String project(Context ctx) {
        return Authenticator.project(ctx).id();
    }

    private static Integer version(Context ctx) {
        String raw = ctx.queryParam("version");
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            int version = Integer.parseInt(raw.trim());
            if (version < 1) {
                throw ApiException.badRequest("version must be 1 or more");
            }
            return version;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("version must be a whole number");
        }
    }
}
