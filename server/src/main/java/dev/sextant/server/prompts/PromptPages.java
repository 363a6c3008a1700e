package dev.sextant.server.prompts;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Routes;
import dev.sextant.server.projects.Project;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Prompt pages: list with folders, a prompt with its versions and labels, the editor and the diff view. */
public final class PromptPages {
    private static final String BASE = "/p/{project}/prompts";
    private static final int HISTORY = 200;

    private final PromptService prompts;
    private final Views views;

    public PromptPages(PromptService prompts, Views views) {
        this.prompts = prompts;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET " + BASE, Access.READ, this::list);
        routes.page("GET " + BASE + "/_new", Access.EDIT, ctx -> editor(ctx, PromptForm.blank(), null));
        routes.page("POST " + BASE + "/_save", Access.EDIT, this::save);
        routes.page("GET " + BASE + "/<name>/edit", Access.EDIT, this::edit);
        routes.page("GET " + BASE + "/<name>/diff", Access.READ, this::diff);
        routes.page("POST " + BASE + "/<name>/deploy", Access.EDIT, this::deploy);
        routes.page("GET " + BASE + "/<name>", Access.READ, this::show);
    }

    private void list(Context ctx) {
        String q = ctx.queryParam("q");
        PageOf<PromptSummary> page = prompts.list(Authenticator.project(ctx), q, ctx.queryParam("cursor"), 200);
        Map<String, List<PromptSummary>> folders = new TreeMap<>();
        page.data().forEach(p -> folders.computeIfAbsent(p.folder(), f -> new java.util.ArrayList<>()).add(p));
        Map<String, Object> params = new HashMap<>();
        params.put("folders", folders);
        params.put("q", q == null ? "" : q);
        params.put("nextCursor", page.nextCursor());
        views.page(ctx, "prompts/list.jte", "Prompts", PageContext.Section.PROMPTS, params);
    }

    private void show(Context ctx) {
        Project project = Authenticator.project(ctx);
        String name = ctx.pathParam("name");
        String raw = ctx.queryParam("version");
        PromptVersion version = prompts.get(project, name, null,
                raw == null || raw.isBlank() ? null : PromptService.parseVersion(raw, "version"));
        List<PromptVersion> history = prompts.versions(project, name, null, HISTORY).data();
        Map<String, Integer> labels = prompts.labels(project, name);
        Set<String> deployable = new LinkedHashSet<>(List.of(PromptService.PRODUCTION, "staging"));
        deployable.addAll(labels.keySet());
        Map<String, Object> params = new HashMap<>();
        params.put("version", version);
        params.put("history", history);
        params.put("labels", labels);
        params.put("deployable", List.copyOf(deployable));
        params.put("latest", history.isEmpty() ? version.version() : history.getFirst().version());
        params.put("notice", notice(ctx));
        views.page(ctx, "prompts/show.jte", name, PageContext.Section.PROMPTS, params);
    }

    private static String notice(Context ctx) {
        String saved = ctx.queryParam("saved");
        String deployed = ctx.queryParam("deployed");
        if (saved != null) {
            return "true".equals(ctx.queryParam("created")) ? "Saved as version " + saved + "."
                    : "Nothing changed: the content is identical to version " + saved + ".";
        }
        return deployed == null ? null : "Moved " + deployed + ".";
    }

    private void edit(Context ctx) {
        String raw = ctx.queryParam("version");
        PromptVersion base = prompts.get(Authenticator.project(ctx), ctx.pathParam("name"), null,
                raw == null || raw.isBlank() ? null : PromptService.parseVersion(raw, "version"));
        editor(ctx, PromptForm.of(base), null);
    }

    private void editor(Context ctx, PromptForm form, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("form", form);
        params.put("error", error);
        views.page(ctx, "prompts/edit.jte", form.isNew() ? "New prompt" : "Edit " + form.name(),
                PageContext.Section.PROMPTS, params);
    }

    private void save(Context ctx) {
        PromptForm form;
        try {
            form = PromptForm.from(ctx);
        } catch (ApiException e) {
            ctx.status(e.status());
            editor(ctx, PromptForm.blank(), e.getMessage());
            return;
        }
        Project project = Authenticator.project(ctx);
        try {
            if (form.isNew() && prompts.exists(project, PromptService.requireName(form.name()))) {
                throw ApiException.conflict("a prompt named " + form.name() + " already exists; open it to edit it");
            }
            PromptService.Saved saved = prompts.save(project, Authenticator.principal(ctx), form.toNewVersion());
            ctx.redirect(promptUrl(project, saved.version().name()) + "?saved=" + saved.version().version()
                    + "&created=" + saved.created());
        } catch (ApiException e) {
            ctx.status(e.status());
            editor(ctx, form, e.getMessage());
        }
    }

    private void deploy(Context ctx) {
        Project project = Authenticator.project(ctx);
        String name = ctx.pathParam("name");
        String label = ctx.formParam("label") == null ? "" : ctx.formParam("label").trim();
        String raw = ctx.formParam("version");
        Integer version = raw == null || raw.isBlank() ? null : PromptService.parseVersion(raw, "version");
        prompts.moveLabel(project, Authenticator.principal(ctx), name, label, version);
        ctx.redirect(promptUrl(project, name) + "?version=" + version + "&deployed="
                + java.net.URLEncoder.encode(label + " to version " + version, java.nio.charset.StandardCharsets.UTF_8));
    }

    private void diff(Context ctx) {
        Project project = Authenticator.project(ctx);
        String name = ctx.pathParam("name");
        List<PromptVersion> history = prompts.versions(project, name, null, HISTORY).data();
        int latest = history.getFirst().version();
        int to = ctx.queryParam("to") == null || ctx.queryParam("to").isBlank() ? latest
                : PromptService.parseVersion(ctx.queryParam("to"), "to");
        int from = ctx.queryParam("from") == null || ctx.queryParam("from").isBlank() ? Math.max(1, to - 1)
                : PromptService.parseVersion(ctx.queryParam("from"), "from");
        Map<String, Object> params = new HashMap<>();
        params.put("name", name);
        params.put("history", history);
        params.put("diff", prompts.diff(project, name, from, to));
        views.page(ctx, "prompts/diff.jte", "Diff " + name, PageContext.Section.PROMPTS, params);
    }

    static String promptUrl(Project project, String name) {
        return "/p/" + project.slug() + "/prompts/" + name;
    }
}
