package dev.sextant.server.monitoring;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** REST routes for online evaluation rules. */
public final class OnlineEvalApi {
    private final OnlineEvalService online;

    public OnlineEvalApi(OnlineEvalService online) {
        this.online = online;
    }

    record Backfill(String from, String to) {
    }

    public void register(Routes routes) {
        routes.api("GET /api/online-rules", Access.READ, "Online evaluation rules with their evaluation counts",
                ctx -> ctx.json(new PageOf<>(online.list(Authenticator.project(ctx).id()), null)));
        routes.api("POST /api/online-rules", Access.ENGINEER, "Create an online evaluation rule (evaluator, filter, "
                + "samplingRate, dailyBudget)", ctx -> ctx.status(201).json(online.create(
                Authenticator.project(ctx).id(), Requests.json(ctx, OnlineEvalService.RuleInput.class),
                Authenticator.principal(ctx))));
        routes.api("GET /api/online-rules/{id}", Access.READ, "An online rule (id or name) with evaluation counts",
                ctx -> ctx.json(online.get(Authenticator.project(ctx).id(), ctx.pathParam("id"))));
        routes.api("PATCH /api/online-rules/{id}", Access.ENGINEER, "Change a rule; {\"paused\":true} pauses it",
                ctx -> ctx.json(online.update(Authenticator.project(ctx).id(), ctx.pathParam("id"),
                        Requests.json(ctx, OnlineEvalService.RuleInput.class), Authenticator.principal(ctx))));
        routes.api("DELETE /api/online-rules/{id}", Access.ENGINEER, "Delete a rule (its scores stay)", ctx -> {
            online.delete(Authenticator.project(ctx).id(), ctx.pathParam("id"), Authenticator.principal(ctx));
            ctx.status(204);
        });
        routes.api("POST /api/online-rules/{id}/backfill", Access.ENGINEER, "Evaluate the rule's sample of traces "
                + "that started in [from, to), in the background", ctx -> {
            Backfill body = Requests.json(ctx, Backfill.class);
            online.startBackfill(Authenticator.project(ctx).id(), ctx.pathParam("id"), time(body.from(), "from"),
                    time(body.to(), "to"), Authenticator.principal(ctx));
            ctx.status(202).json(java.util.Map.of("status", "queued"));
        });
    }

    static Instant time(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field + " is required (ISO-8601 UTC time)");
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field + " must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
        }
    }
}
