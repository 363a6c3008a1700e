package dev.sextant.server.web;

import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.projects.ProjectService;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Renders the precompiled jte templates (they escape all text by default). */
public final class Views {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
    private final ProjectService projects;

    public Views(ProjectService projects) {
        this.projects = projects;
    }

    public String render(String template, Map<String, Object> params) {
        StringOutput output = new StringOutput();
        engine.render(template, params, output);
        return output.toString();
    }

    /** Renders {@code template} with a {@code page} parameter built for the current caller. */
    public void page(Context ctx, String template, String title, PageContext.Section section,
                     Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("page", context(ctx, title, section));
        ctx.html(render(template, all));
    }

    public PageContext context(Context ctx, String title, PageContext.Section section) {
        Principal principal = Authenticator.principal(ctx);
        List<dev.sextant.server.projects.Project> mine = principal.user() == null
                ? List.of() : projects.projectsFor(principal.user());
        return new PageContext(title, section, principal.user(), principal.project(), mine, principal.role(),
                Authenticator.csrfToken(ctx));
    }
}
