package dev.sextant.server.auth;

import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Routes;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.HashMap;
import java.util.Map;

/**
 * Login and logout. The login form is protected against CSRF by a double-submit cookie (there is
 * no session yet to hold a token).
 */
public final class AuthPages {
    private static final String LOGIN_CSRF_COOKIE = "sextant_login_csrf";

    private final AuthService auth;
    private final Views views;
    private final boolean secureCookies;
    private final int sessionSeconds;

    public AuthPages(AuthService auth, Views views, boolean secureCookies, int sessionSeconds) {
        this.auth = auth;
        this.views = views;
        this.secureCookies = secureCookies;
        this.sessionSeconds = sessionSeconds;
    }

    public void register(Routes routes) {
        routes.page("GET /login", Access.PUBLIC, this::loginForm);
        routes.page("POST /login", Access.PUBLIC, this::login);
        routes.page("POST /logout", Access.USER, this::logout);
    }

    private void loginForm(Context ctx) {
        if (auth.session(ctx.cookie(Authenticator.SESSION_COOKIE)).isPresent()) {
            ctx.redirect(safeNext(ctx.queryParam("next")));
            return;
        }
        renderLogin(ctx, null, "");
    }

    private void renderLogin(Context ctx, String error, String email) {
        String token = Secrets.randomToken(32);
        ctx.cookie(cookie(LOGIN_CSRF_COOKIE, token, 3600));
        Map<String, Object> params = new HashMap<>();
        params.put("csrf", token);
        params.put("next", safeNext(ctx.queryParam("next") != null ? ctx.queryParam("next") : ctx.formParam("next")));
        params.put("error", error);
        params.put("email", email == null ? "" : email);
        ctx.html(views.render("auth/login.jte", params));
    }

    private void login(Context ctx) {
        String email = ctx.formParam("email");
        if (!Secrets.equalsConstantTime(ctx.formParam(Authenticator.CSRF_FIELD), ctx.cookie(LOGIN_CSRF_COOKIE))) {
            ctx.status(403);
            renderLogin(ctx, "Your login form expired. Please try again.", email);
            return;
        }
        try {
            AuthService.NewSession session = auth.login(email, ctx.formParam("password"), ctx.ip());
            ctx.cookie(cookie(Authenticator.SESSION_COOKIE, session.token(), sessionSeconds));
            ctx.removeCookie(LOGIN_CSRF_COOKIE, "/");
            ctx.redirect(safeNext(ctx.formParam("next")));
        } catch (ApiException e) {
            ctx.status(e.status());
            renderLogin(ctx, e.status() == 429 ? "Too many failed attempts. Wait 15 minutes and try again."
                    : "Wrong e-mail or password.", email);
        }
    }

    private void logout(Context ctx) {
        auth.logout(ctx.cookie(Authenticator.SESSION_COOKIE));
        ctx.removeCookie(Authenticator.SESSION_COOKIE, "/");
        ctx.redirect("/login");
    }

    private Cookie cookie(String name, String value, int maxAgeSeconds) {
        Cookie cookie = new Cookie(name, value, "/", maxAgeSeconds, secureCookies);
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.LAX);
        return cookie;
    }

    /** Only same-site relative paths are followed after login (no open redirects). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
            return "/";
        }
        return next;
    }
}
