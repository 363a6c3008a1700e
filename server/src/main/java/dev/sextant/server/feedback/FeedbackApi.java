package dev.sextant.server.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.monitoring.TimeRange;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * REST routes for end-user feedback. {@code POST /api/feedback} accepts public keys and, with
 * {@code /v1/traces}, answers cross-origin requests (CORS) so that browser apps can send directly.
 */
public final class FeedbackApi {
    /** The only paths that browsers on other origins may call: ingestion with a public key. */
    static final List<String> CORS_PATHS = List.of("/api/feedback", "/v1/traces");

    private final FeedbackService feedback;
    private final Clock clock;

    public FeedbackApi(FeedbackService feedback, Clock clock) {
        this.feedback = feedback;
        this.clock = clock;
    }

    public void register(dev.sextant.server.http.Routes routes) {
        // Runs before authentication, so that errors (401, 422) are readable by the calling page too.
        routes.raw().before(ctx -> {
            if (CORS_PATHS.contains(ctx.path())) {
                ctx.header("Access-Control-Allow-Origin", "*");
            }
        });
        for (String path : CORS_PATHS) {
            routes.api("OPTIONS " + path, Access.PUBLIC, "CORS preflight: browsers on any origin may POST here "
                    + "with a public key", FeedbackApi::preflight);
        }
        routes.api("POST /api/feedback", Access.INGEST, "Record end-user feedback on a trace (traceId) or a "
                + "span of it (traceId and spanId): one object, an array, or {\"feedback\":[...]}; public keys "
                + "allowed, CORS enabled", this::create);
        routes.api("GET /api/feedback", Access.READ, "A trace's feedback, oldest first", ctx -> {
            String traceId = ctx.queryParam("traceId");
            if (traceId == null || traceId.isBlank()) {
                throw ApiException.badRequest("traceId is required");
            }
            ctx.json(new PageOf<>(feedback.forTrace(Authenticator.project(ctx).id(), traceId.strip()), null));
        });
        routes.api("GET /api/feedback/summary", Access.READ, "Feedback aggregated per prompt version or model "
                + "(vote ratio, action rates, retention curve, daily)", ctx -> {
            TimeRange range = TimeRange.of(ctx, clock);
            ctx.json(feedback.summary(Authenticator.project(ctx).id(),
                    FeedbackSummary.GroupBy.parse(ctx.queryParam("groupBy")), blankToNull(ctx.queryParam("promptName")),
                    range.from(), range.to()));
        });
    }

    private static void preflight(Context ctx) {
        ctx.header("Access-Control-Allow-Methods", "POST, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    private void create(Context ctx) {
        JsonNode body = Requests.json(ctx, JsonNode.class);
        JsonNode items = body.isArray() ? body : body.has("feedback") ? body.get("feedback") : null;
        List<FeedbackInput> batch = new ArrayList<>();
        try {
            if (items == null) {
                batch.add(Json.mapper().treeToValue(body, FeedbackInput.class));
            } else if (items.isArray()) {
                for (JsonNode item : items) {
                    batch.add(Json.mapper().treeToValue(item, FeedbackInput.class));
                }
            } else {
                throw ApiException.invalid("feedback must be an array");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.invalid("invalid feedback: " + e.getOriginalMessage());
        }
        List<Feedback> saved = feedback.record(Authenticator.project(ctx).id(), batch);
        ctx.status(201).json(items == null ? saved.getFirst() : new PageOf<>(saved, null));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
