package dev.sextant.server.playground;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.Routes;
import dev.sextant.server.models.ProviderInfo;
import dev.sextant.server.models.ProviderService;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The playground page; runs happen in the browser against {@code /api/playground/run/stream}. */
public final class PlaygroundPages {
    static final List<String> SUGGESTED_MODELS = List.of("sim-1", "sim-2", "gpt-4o-mini", "gpt-4o", "gpt-4.1-mini",
            "claude-3-5-haiku-latest", "claude-sonnet-4-0", "gemini-2.0-flash", "gemini-2.5-pro");

    private final ProviderService providers;
    private final Views views;

    public PlaygroundPages(ProviderService providers, Views views) {
        this.providers = providers;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/playground", Access.READ, ctx -> render(ctx, ctx.queryParam("state")));
        routes.page("POST /p/{project}/playground", Access.READ, ctx -> render(ctx, ctx.formParam("state")));
    }

    private void render(Context ctx, String stateJson) {
        PlaygroundState state = PlaygroundState.blank();
        String error = null;
        if (stateJson != null && !stateJson.isBlank()) {
            try {
                state = Json.mapper().readValue(stateJson, PlaygroundState.class);
                if (state.variants().size() > PlaygroundState.MAX_VARIANTS) {
                    error = "The playground compares at most " + PlaygroundState.MAX_VARIANTS
                            + " variants; the first ones are shown.";
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                ctx.status(400);
                error = "Could not open that playground state: " + e.getMessage().lines().findFirst().orElse("");
            }
        }
        Map<String, Object> params = new HashMap<>();
        params.put("stateJson", Json.write(state));
        params.put("providersJson", Json.write(providers.list(Authenticator.project(ctx).id()).stream()
                .map(ProviderInfo::name).toList()));
        params.put("models", SUGGESTED_MODELS);
        params.put("title", state.title());
        params.put("error", error);
        views.page(ctx, "playground/playground.jte", "Playground", PageContext.Section.PLAYGROUND, params);
    }
}
