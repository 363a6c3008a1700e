package dev.sextant.server.monitoring;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Routes;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The online evaluation and alerts pages under Monitoring, with their forms (POST, then redirect). */
public final class RulePages {
    private final OnlineEvalService online;
    private final AlertService alerts;
    private final Views views;

    public RulePages(OnlineEvalService online, AlertService alerts, Views views) {
        this.online = online;
        this.alerts = alerts;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/monitoring/online", Access.READ, ctx -> onlinePage(ctx, null, Map.of()));
        routes.page("POST /p/{project}/monitoring/online", Access.ENGINEER, this::createRule);
        routes.page("POST /p/{project}/monitoring/online/{id}/pause", Access.ENGINEER, ctx -> pause(ctx, true));
        routes.page("POST /p/{project}/monitoring/online/{id}/resume", Access.ENGINEER, ctx -> pause(ctx, false));
        routes.page("POST /p/{project}/monitoring/online/{id}/backfill", Access.ENGINEER, this::backfill);
        routes.page("GET /p/{project}/monitoring/alerts", Access.READ, ctx -> alertsPage(ctx, null, null, Map.of()));
        routes.page("POST /p/{project}/monitoring/alerts", Access.ENGINEER, this::createAlert);
    }

    private void onlinePage(Context ctx, String error, Map<String, String> form) {
        Map<String, Object> params = new HashMap<>();
        params.put("rules", online.list(Authenticator.project(ctx).id()));
        params.put("error", error);
        params.put("form", form);
        params.put("notice", ctx.queryParam("notice"));
        if (error != null) {
            ctx.status(422);
        }
        views.page(ctx, "monitoring/online.jte", "Online evaluation", PageContext.Section.MONITORING, params);
    }

    private void createRule(Context ctx) {
        Map<String, String> form = form(ctx);
        try {
            Map<String, String> metadata = new LinkedHashMap<>();
            String meta = form.getOrDefault("metadata", "");
            if (!meta.isBlank()) {
                for (String pair : meta.split(",")) {
                    String[] kv = pair.split("=", 2);
                    if (kv.length != 2 || kv[0].isBlank()) {
                        throw ApiException.invalid("metadata must look like key=value, key2=value2");
                    }
                    metadata.put(kv[0].strip(), kv[1].strip());
                }
            }
            String tags = form.getOrDefault("tags", "");
            RuleFilter filter = new RuleFilter(form.get("kind"), form.get("spanName"), form.get("model"),
                    form.get("promptName"), integer(form.get("promptVersion"), "prompt version"),
                    tags.isBlank() ? List.of() : List.of(tags.split("\\s*,\\s*")), metadata);
            online.create(Authenticator.project(ctx).id(), new OnlineEvalService.RuleInput(form.get("name"),
                    form.get("evaluator"), form.getOrDefault("target", "span"), filter,
                    decimal(form.get("samplingRate"), "sampling rate"), decimal(form.get("dailyBudget"), "budget"),
                    false, null), Authenticator.principal(ctx));
            ctx.redirect(url(ctx, "/monitoring/online"));
        } catch (ApiException e) {
            onlinePage(ctx, e.getMessage(), form);
        }
    }

    private void pause(Context ctx, boolean paused) {
        online.update(Authenticator.project(ctx).id(), ctx.pathParam("id"), new OnlineEvalService.RuleInput(null,
                null, null, null, null, null, paused, null), Authenticator.principal(ctx));
        ctx.redirect(url(ctx, "/monitoring/online"));
    }

    private void backfill(Context ctx) {
        try {
            int hours = integer(ctx.formParam("hours"), "hours") == null ? 24 : integer(ctx.formParam("hours"), "hours");
            Instant now = Instant.now();
            online.startBackfill(Authenticator.project(ctx).id(), ctx.pathParam("id"),
                    now.minus(Duration.ofHours(Math.max(1, Math.min(hours, 24 * 90)))), now,
                    Authenticator.principal(ctx));
            ctx.redirect(url(ctx, "/monitoring/online") + "?notice=backfill");
        } catch (ApiException e) {
            onlinePage(ctx, e.getMessage(), Map.of());
        }
    }

    private void alertsPage(Context ctx, String error, String secret, Map<String, String> form) {
        String projectId = Authenticator.project(ctx).id();
        Map<String, Object> params = new HashMap<>();
        params.put("rules", alerts.list(projectId));
        params.put("history", alerts.history(projectId));
        params.put("names", alerts.list(projectId).stream().collect(java.util.stream.Collectors.toMap(AlertRule::id,
                AlertRule::name)));
        params.put("metrics", List.of(Metric.values()));
        params.put("error", error);
        params.put("secret", secret);
        params.put("form", form);
        if (error != null) {
            ctx.status(422);
        }
        views.page(ctx, "monitoring/alerts.jte", "Alerts", PageContext.Section.MONITORING, params);
    }

    private void createAlert(Context ctx) {
        Map<String, String> form = form(ctx);
        try {
            AlertService.Created created = alerts.create(Authenticator.project(ctx).id(), new AlertService.AlertInput(
                    form.get("name"), form.get("metric"), form.get("evaluator"), form.get("comparison"),
                    decimal(form.get("threshold"), "threshold"), integer(form.get("windowMinutes"), "window"),
                    form.get("webhookUrl"), form.get("secret")), Authenticator.principal(ctx));
            // Shown once: the secret is never displayed again.
            alertsPage(ctx, null, created.secret(), Map.of());
        } catch (ApiException e) {
            alertsPage(ctx, e.getMessage(), null, form);
        }
    }

    private static String url(Context ctx, String path) {
        return "/p/" + Authenticator.project(ctx).slug() + path;
    }

    private static Map<String, String> form(Context ctx) {
        Map<String, String> form = new HashMap<>();
        ctx.formParamMap().forEach((k, v) -> {
            if (!v.isEmpty() && !k.equals("_csrf")) {
                form.put(k, v.getFirst().strip());
            }
        });
        return form;
    }

    private static Double decimal(String value, String field) {
        try {
            return value == null || value.isBlank() ? null : Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field + " must be a number");
        }
    }

    private static Integer integer(String value, String field) {
        try {
            return value == null || value.isBlank() ? null : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field + " must be a whole number");
        }
    }
}
