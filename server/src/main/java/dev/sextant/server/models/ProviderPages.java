package dev.sextant.server.models;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Routes;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Settings → Model providers: add or update a provider's key and base URL, remove it. */
public final class ProviderPages {
    private final ProviderService providers;
    private final Views views;

    public ProviderPages(ProviderService providers, Views views) {
        this.providers = providers;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/settings/providers", Access.ENGINEER, ctx -> render(ctx, null, null));
        routes.page("POST /p/{project}/settings/providers", Access.ENGINEER, this::save);
        routes.page("POST /p/{project}/settings/providers/{name}/delete", Access.ENGINEER, this::delete);
    }

    private void save(Context ctx) {
        String name = ctx.formParam("name");
        String key = ctx.formParam("apiKey");
        try {
            providers.save(Authenticator.project(ctx).id(), name, new ProviderUpdate(ctx.formParam("kind"),
                    ctx.formParam("baseUrl"), key == null || key.isBlank() ? null : key), Authenticator.principal(ctx));
            render(ctx, null, "Saved provider “" + name + "”.");
        } catch (ApiException e) {
            ctx.status(e.status());
            render(ctx, e.getMessage(), null);
        }
    }

    private void delete(Context ctx) {
        try {
            providers.delete(Authenticator.project(ctx).id(), ctx.pathParam("name"), Authenticator.principal(ctx));
            ctx.redirect("/p/" + Authenticator.project(ctx).slug() + "/settings/providers");
        } catch (ApiException e) {
            ctx.status(e.status());
            render(ctx, e.getMessage(), null);
        }
    }

    private void render(Context ctx, String error, String notice) {
        Map<String, Object> params = new HashMap<>();
        params.put("providers", providers.list(Authenticator.project(ctx).id()));
        params.put("kinds", List.of(ProviderKind.OPENAI, ProviderKind.OPENAI_COMPATIBLE, ProviderKind.ANTHROPIC,
                ProviderKind.GEMINI, ProviderKind.SIM));
        params.put("error", error);
        params.put("notice", notice);
        views.page(ctx, "models/providers.jte", "Model providers", PageContext.Section.SETTINGS, params);
    }
}
