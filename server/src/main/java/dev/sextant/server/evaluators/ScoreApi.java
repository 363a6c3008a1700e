package dev.sextant.server.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.util.Locale;

/** REST routes for scores: external scores in, a target's scores out. */
public final class ScoreApi {
    private final ScoreService scores;

    public ScoreApi(ScoreService scores) {
        this.scores = scores;
    }

    public void register(Routes routes) {
        routes.api("POST /api/scores", Access.EDIT,
                "Record an external score on a trace, span or experiment item (secret key or expert+)", this::create);
        routes.api("GET /api/scores", Access.READ, "Scores of one target: ?targetType=trace|span|experiment_item"
                + "&targetId=...[&name=evaluator]", this::list);
    }

    record ScoreRequest(String targetType, String targetId, String name, Integer version, JsonNode value,
                        Boolean passed, String reason, String error, String source, Double cost) {
    }

    private void create(Context ctx) {
        ScoreRequest r = Requests.json(ctx, ScoreRequest.class);
        JudgmentValue value = JudgmentValue.fromJson(r.value());
        if (r.value() != null && !r.value().isNull() && value == null) {
            throw ApiException.invalid("value must be a boolean, a finite number or a category string");
        }
        ScoreService.NewScore score = new ScoreService.NewScore(targetType(r.targetType()), r.targetId(), r.name(),
                r.version(), value, r.passed(), r.reason(), r.error(), source(r.source()), r.cost());
        ctx.status(201).json(scores.record(Authenticator.project(ctx).id(), score,
                Authenticator.principal(ctx).actorLabel()));
    }

    private void list(Context ctx) {
        String targetId = ctx.queryParam("targetId");
        if (targetId == null || targetId.isBlank()) {
            throw ApiException.badRequest("targetType and targetId query parameters are required");
        }
        ctx.json(new PageOf<>(scores.forTarget(Authenticator.project(ctx).id(), targetType(ctx.queryParam("targetType")),
                targetId, ctx.queryParam("name")), null));
    }

    static TargetType targetType(String raw) {
        try {
            return TargetType.valueOf(raw == null ? "" : raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("targetType must be trace, span or experiment_item");
        }
    }

    private static ScoreSource source(String raw) {
        if (raw == null || raw.isBlank()) {
            return ScoreSource.API;
        }
        try {
            return ScoreSource.valueOf(raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("source must be code, llm, human, feedback or api");
        }
    }
}
