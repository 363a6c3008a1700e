package dev.sextant.server.projects;

import dev.sextant.server.audit.AuditEntry;
import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.AuthService;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.Role;
import dev.sextant.server.auth.User;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.util.List;

/** REST routes for projects, members and the audit log. */
public final class ProjectApi {
    private final ProjectService projects;
    private final AuthService auth;
    private final AuditLog audit;

    public ProjectApi(ProjectService projects, AuthService auth, AuditLog audit) {
        this.projects = projects;
        this.auth = auth;
        this.audit = audit;
    }

    public void register(Routes routes) {
        routes.api("GET /api/projects/current", Access.READ, "The project of the calling key (or X-Sextant-Project)",
                ctx -> ctx.json(Authenticator.project(ctx)));
        routes.api("GET /api/projects", Access.USER, "Projects the logged-in user belongs to",
                ctx -> ctx.json(new PageOf<>(projects.projectsFor(Authenticator.principal(ctx).user()), null)));
        routes.api("POST /api/projects", Access.USER, "Create a project; the creator becomes its admin", this::create);
        routes.api("PATCH /api/projects/current", Access.ADMIN, "Rename the project or set its retention",
                this::update);
        routes.api("GET /api/members", Access.READ, "Members of the project with their roles",
                ctx -> ctx.json(new PageOf<>(projects.members(Authenticator.project(ctx)), null)));
        routes.api("PUT /api/members", Access.ADMIN, "Add a member or change a member's role", this::putMember);
        routes.api("DELETE /api/members/{userId}", Access.ADMIN, "Remove a member from the project",
                ctx -> {
                    projects.removeMember(Authenticator.project(ctx), ctx.pathParam("userId"),
                            Authenticator.principal(ctx));
                    ctx.status(204);
                });
        routes.api("GET /api/audit", Access.ENGINEER, "The project's audit log, newest first (cursor-paginated)",
                this::auditLog);
    }

    record CreateProjectRequest(String name) {
    }

    private void create(Context ctx) {
        CreateProjectRequest request = Requests.json(ctx, CreateProjectRequest.class);
        Principal principal = Authenticator.principal(ctx);
        ctx.status(201).json(projects.create(request.name(), principal.user(), principal));
    }

    record UpdateProjectRequest(String name, Integer retentionDays) {
    }

    private void update(Context ctx) {
        UpdateProjectRequest request = Requests.json(ctx, UpdateProjectRequest.class);
        Project project = Authenticator.project(ctx);
        ctx.json(projects.updateSettings(project, request.name() == null ? project.name() : request.name(),
                request.retentionDays(), Authenticator.principal(ctx)));
    }

    record MemberRequest(String email, String role) {
    }

    private void putMember(Context ctx) {
        MemberRequest request = Requests.json(ctx, MemberRequest.class);
        Role role = Role.parse(request.role());
        User user = auth.userByEmail(Requests.requireText(request.email(), "email", 320))
                .orElseThrow(() -> ApiException.notFound("user " + request.email()));
        projects.setMember(Authenticator.project(ctx), user, role, Authenticator.principal(ctx));
        ctx.json(projects.members(Authenticator.project(ctx)).stream()
                .filter(m -> m.userId().equals(user.id())).findFirst().orElseThrow());
    }

    private void auditLog(Context ctx) {
        int limit = Requests.limit(ctx);
        List<AuditEntry> entries = audit.list(Authenticator.project(ctx).id(), ctx.queryParam("cursor"), limit + 1);
        String next = entries.size() > limit ? entries.get(limit - 1).id() : null;
        ctx.json(new PageOf<>(entries.subList(0, Math.min(limit, entries.size())), next));
    }
}
