package dev.sextant.server.models;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;

/** REST API for a project's model providers; keys go in, never out. */
public final class ProviderApi {
    private final ProviderService providers;

    public ProviderApi(ProviderService providers) {
        this.providers = providers;
    }

    public void register(Routes routes) {
        routes.api("GET /api/providers", Access.ENGINEER,
                "List the project's model providers (whether a key is set and its last 4 characters, never the key)",
                ctx -> ctx.json(new PageOf<>(providers.list(project(ctx)), null)));
        routes.api("GET /api/providers/{name}", Access.ENGINEER, "Get one model provider (never its key)",
                ctx -> ctx.json(providers.find(project(ctx), ctx.pathParam("name"))
                        .orElseThrow(() -> ApiException.notFound("provider " + ctx.pathParam("name")))));
        routes.api("PUT /api/providers/{name}", Access.ENGINEER,
                "Create or update a model provider: kind, baseUrl, apiKey (encrypted at rest; omit to keep, \"\" to remove)",
                this::put);
        routes.api("DELETE /api/providers/{name}", Access.ENGINEER, "Remove a model provider and its key",
                ctx -> {
                    providers.delete(project(ctx), ctx.pathParam("name"), Authenticator.principal(ctx));
                    ctx.status(204);
                });
    }

    private void put(Context ctx) {
        ProviderUpdate update = Requests.json(ctx, ProviderUpdate.class);
        ctx.json(providers.save(project(ctx), ctx.pathParam("name"), update, Authenticator.principal(ctx)));
    }

    private static String project(Context ctx) {
        return Authenticator.project(ctx).id();
    }
}
