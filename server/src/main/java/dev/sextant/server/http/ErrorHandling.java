package dev.sextant.server.http;

import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.auth.LoginRequiredException;
import dev.sextant.server.web.Views;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a clean response: JSON {@code {"error": {"code", "message"}}} for the
 * API, an error page for the browser. Unexpected exceptions are logged with the request id and
 * answered 500 without internals.
 */
public final class ErrorHandling {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);

    private final Views views;

    public ErrorHandling(Views views) {
        this.views = views;
    }

    public void register(RoutesConfig routes) {
        routes.exception(LoginRequiredException.class, (e, ctx) -> {
            String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.redirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        });
        routes.exception(ApiException.class, (e, ctx) -> respond(ctx, e.status(), e.code(), e.getMessage()));
        routes.exception(HttpResponseException.class, (e, ctx) ->
                respond(ctx, e.getStatus(), codeFor(e.getStatus()), e.getMessage()));
        routes.exception(Exception.class, (e, ctx) -> {
            if (isTooLarge(e)) {
                respond(ctx, 413, "payload_too_large", "request body is too large");
                return;
            }
            LOG.error("request {} {} failed [{}]", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            respond(ctx, 500, "internal", "internal error; request id " + RequestIds.of(ctx));
        });
        routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().equals("Not Found")) {
                respond(ctx, 404, "not_found", "no such route: " + ctx.method() + " " + ctx.path());
            }
        });
        routes.error(405, ctx -> respond(ctx, 405, "method_not_allowed", "method not allowed"));
        routes.error(413, ctx -> respond(ctx, 413, "payload_too_large", "request body is too large"));
    }

    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("exceeds max size") || message.contains("too large")
                    || message.contains("max size"))) {
                return true;
            }
        }
        return false;
    }

    private void respond(Context ctx, int status, String code, String message) {
        ctx.status(status);
        if (Authenticator.isApi(ctx) || ctx.header("Authorization") != null) {
            Map<String, String> error = new java.util.LinkedHashMap<>();
            error.put("code", code);
            error.put("message", message == null ? code : message);
            ctx.json(Map.of("error", error));
        } else {
            ctx.html(views.render("error.jte", Map.of("status", status, "message", message == null ? code : message)));
        }
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            default -> status >= 500 ? "internal" : "error";
        };
    }
}
