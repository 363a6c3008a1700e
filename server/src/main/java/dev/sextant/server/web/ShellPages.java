package dev.sextant.server.web;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Routes;
import dev.sextant.server.projects.Project;
import dev.sextant.server.projects.ProjectService;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The application shell: home, project list and creation.
 */
public final class ShellPages {
    private final ProjectService projects;
    private final Views views;

    public ShellPages(ProjectService projects, Views views) {
        this.projects = projects;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /", Access.USER, this::home);
        routes.page("GET /projects", Access.USER, ctx -> projectList(ctx, null));
        routes.page("POST /projects", Access.USER, this::createProject);
        routes.page("GET /p/{project}", Access.READ,
                ctx -> ctx.redirect("/p/" + Authenticator.project(ctx).slug() + "/traces"));
    }

    private void home(Context ctx) {
        List<Project> mine = projects.projectsFor(Authenticator.principal(ctx).user());
        ctx.redirect(mine.isEmpty() ? "/projects" : "/p/" + mine.getFirst().slug() + "/traces");
    }

    private void projectList(Context ctx, String error) {
        Principal principal = Authenticator.principal(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("error", error);
        params.put("mine", projects.projectsFor(principal.user()));
        views.page(ctx, "web/projects.jte", "Projects", PageContext.Section.NONE, params);
    }

    private void createProject(Context ctx) {
        Principal principal = Authenticator.principal(ctx);
        try {
            Project project = projects.create(ctx.formParam("name"), principal.user(), principal);
            ctx.redirect("/p/" + project.slug() + "/traces");
        } catch (ApiException e) {
            ctx.status(e.status());
            projectList(ctx, e.getMessage());
        }
    }
}
