package dev.sextant.server.auth;

import dev.sextant.server.http.Routes;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/** Settings → API keys: create (shown once), list with last use, revoke. */
public final class KeyPages {
    private final AuthService auth;
    private final Views views;

    public KeyPages(AuthService auth, Views views) {
        this.auth = auth;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/settings/keys", Access.ENGINEER, ctx -> render(ctx, null));
        routes.page("POST /p/{project}/settings/keys", Access.ENGINEER, this::create);
        routes.page("POST /p/{project}/settings/keys/{id}/revoke", Access.ENGINEER, this::revoke);
    }

    private void create(Context ctx) {
        AuthService.CreatedKey created = auth.createKey(Authenticator.project(ctx).id(),
                ApiKeyApi.parseKind(ctx.formParam("kind")), ctx.formParam("name"), Authenticator.principal(ctx));
        ctx.status(201);
        render(ctx, created);
    }

    private void revoke(Context ctx) {
        auth.revokeKey(Authenticator.project(ctx).id(), ctx.pathParam("id"), Authenticator.principal(ctx));
        ctx.redirect("/p/" + Authenticator.project(ctx).slug() + "/settings/keys");
    }

    private void render(Context ctx, AuthService.CreatedKey created) {
        Map<String, Object> params = new HashMap<>();
        params.put("keys", auth.listKeys(Authenticator.project(ctx).id()));
        params.put("created", created);
        views.page(ctx, "settings/keys.jte", "API keys", PageContext.Section.SETTINGS, params);
    }
}
