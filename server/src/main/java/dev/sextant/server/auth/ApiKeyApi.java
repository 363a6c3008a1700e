package dev.sextant.server.auth;

import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.util.Locale;

/** REST routes for the project's API keys. */
public final class ApiKeyApi {
    private final AuthService auth;

    public ApiKeyApi(AuthService auth) {
        this.auth = auth;
    }

    public void register(Routes routes) {
        routes.api("GET /api/keys", Access.ENGINEER, "List the project's API keys (never the keys themselves)",
                ctx -> ctx.json(new PageOf<>(auth.listKeys(Authenticator.project(ctx).id()), null)));
        routes.api("POST /api/keys", Access.ENGINEER, "Create an API key; the response holds the key, shown once",
                this::create);
        routes.api("DELETE /api/keys/{id}", Access.ENGINEER, "Revoke an API key",
                ctx -> ctx.json(auth.revokeKey(Authenticator.project(ctx).id(), ctx.pathParam("id"),
                        Authenticator.principal(ctx))));
    }

    record CreateKeyRequest(String name, String kind) {
    }

    private void create(Context ctx) {
        CreateKeyRequest request = Requests.json(ctx, CreateKeyRequest.class);
        AuthService.CreatedKey created = auth.createKey(Authenticator.project(ctx).id(), parseKind(request.kind()),
                request.name(), Authenticator.principal(ctx));
        ctx.status(201).json(new CreatedKeyResponse(created.key(), created.secret()));
    }

    record CreatedKeyResponse(ApiKey key, String secret) {
    }

    static ApiKey.Kind parseKind(String kind) {
        if (kind == null || kind.isBlank()) {
            return ApiKey.Kind.SECRET;
        }
        try {
            return ApiKey.Kind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("kind must be 'secret' or 'public'");
        }
    }
}
