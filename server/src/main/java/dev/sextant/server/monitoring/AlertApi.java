package dev.sextant.server.monitoring;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;

/** REST routes for alert rules and their history. Signing secrets are returned only by the create call. */
public final class AlertApi {
    private final AlertService alerts;

    public AlertApi(AlertService alerts) {
        this.alerts = alerts;
    }

    public void register(Routes routes) {
        routes.api("GET /api/alerts", Access.READ, "Alert rules with their current state",
                ctx -> ctx.json(new PageOf<>(alerts.list(Authenticator.project(ctx).id()), null)));
        routes.api("POST /api/alerts", Access.ENGINEER, "Create an alert rule (metric, comparison, threshold, "
                + "windowMinutes, webhookUrl, secret); the response shows the signing secret once", ctx ->
                ctx.status(201).json(alerts.create(Authenticator.project(ctx).id(),
                        Requests.json(ctx, AlertService.AlertInput.class), Authenticator.principal(ctx))));
        routes.api("GET /api/alerts/history", Access.READ, "Recent firing and resolved events of all alerts",
                ctx -> ctx.json(new PageOf<>(alerts.history(Authenticator.project(ctx).id()), null)));
        routes.api("GET /api/alerts/{id}", Access.READ, "An alert rule (id or name) with its history",
                ctx -> ctx.json(alerts.get(Authenticator.project(ctx).id(), ctx.pathParam("id"))));
        routes.api("DELETE /api/alerts/{id}", Access.ENGINEER, "Delete an alert rule", ctx -> {
            alerts.delete(Authenticator.project(ctx).id(), ctx.pathParam("id"), Authenticator.principal(ctx));
            ctx.status(204);
        });
    }
}
