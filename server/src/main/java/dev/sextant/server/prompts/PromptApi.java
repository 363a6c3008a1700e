package dev.sextant.server.prompts;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * REST routes of the prompt registry. Prompt names contain '/', so the routes take them with a
 * {@code <name>} parameter that spans slashes ({@code support/answer} and {@code support%2Fanswer}
 * both work); the suffix routes are registered first so that they win.
 */
public final class PromptApi {
    private static final String NAME = "/api/prompts/<name>";

    private final PromptService prompts;

    public PromptApi(PromptService prompts) {
        this.prompts = prompts;
    }

    public void register(Routes routes) {
        routes.api("GET /api/prompts", Access.READ, "List prompts by name; q searches names (cursor-paginated)",
                this::list);
        routes.api("POST /api/prompts", Access.EDIT, "Save a prompt version (201); identical content returns the "
                + "latest version (200)", this::create);
        routes.api("GET " + NAME + "/versions", Access.READ, "A prompt's versions, newest first (cursor-paginated)",
                this::versions);
        routes.api("GET " + NAME + "/diff", Access.READ, "Template and config diff of two versions: ?from=1&to=2",
                this::diff);
        routes.api("POST " + NAME + "/render", Access.READ, "Render a version (?label= or ?version=, default "
                + "latest) with {\"variables\": {…}}", this::render);
        routes.api("PUT " + NAME + "/labels/{label}", Access.EDIT, "Point a label at a version (deploy or "
                + "rollback); production needs engineer or admin", this::moveLabel);
        routes.api("GET " + NAME, Access.READ, "Fetch a version: ?label= or ?version= (default latest); "
                + "supports ETag / If-None-Match", this::get);
    }

    record CreateRequest(String name, List<PromptMessage> messages, String text, ModelConfig model,
                         List<ToolDefinition> tools, String commitMessage, List<String> labels) {
    }

    private void create(Context ctx) {
        CreateRequest request = Requests.json(ctx, CreateRequest.class);
        PromptService.Saved saved = prompts.save(Authenticator.project(ctx), Authenticator.principal(ctx),
                new PromptService.NewVersion(request.name(),
                        new PromptContent(request.messages(), request.text(), request.model(), request.tools()),
                        request.commitMessage(), request.labels()));
        ctx.status(saved.created() ? 201 : 200).json(saved.version());
    }

    private void list(Context ctx) {
        ctx.json(prompts.list(Authenticator.project(ctx), ctx.queryParam("q"), ctx.queryParam("cursor"),
                Requests.limit(ctx)));
    }

    private void get(Context ctx) {
        PromptService.Served served = prompts.serve(Authenticator.project(ctx), ctx.pathParam("name"),
                ctx.queryParam("label"), version(ctx, "version"));
        ctx.header("ETag", served.etag());
        ctx.header("Cache-Control", "no-cache");
        if (matches(ctx.header("If-None-Match"), served.etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(served.json());
    }

    /** If-None-Match holds {@code *} or a list of tags, possibly weak ({@code W/"…"}). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private void versions(Context ctx) {
        ctx.json(prompts.versions(Authenticator.project(ctx), ctx.pathParam("name"), ctx.queryParam("cursor"),
                Requests.limit(ctx)));
    }

    private void diff(Context ctx) {
        ctx.json(prompts.diff(Authenticator.project(ctx), ctx.pathParam("name"), version(ctx, "from"),
                version(ctx, "to")));
    }

    record RenderRequest(Map<String, Object> variables) {
    }

    private void render(Context ctx) {
        RenderRequest request = Requests.json(ctx, RenderRequest.class);
        ctx.json(prompts.render(Authenticator.project(ctx), ctx.pathParam("name"), ctx.queryParam("label"),
                version(ctx, "version"), request.variables()));
    }

    record LabelRequest(Integer version) {
    }

    private void moveLabel(Context ctx) {
        LabelRequest request = Requests.json(ctx, LabelRequest.class);
        ctx.json(prompts.moveLabel(Authenticator.project(ctx), Authenticator.principal(ctx), ctx.pathParam("name"),
                ctx.pathParam("label"), request.version()));
    }

    private static Integer version(Context ctx, String param) {
        String raw = ctx.queryParam(param);
        return raw == null || raw.isBlank() ? null : PromptService.parseVersion(raw, param);
    }
}
