package dev.sextant.server.projects;

import dev.sextant.server.audit.AuditEntry;
import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.AuthService;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.auth.Role;
import dev.sextant.server.auth.User;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Routes;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings → General, Members and Audit log pages. */
public final class SettingsPages {
    private static final int AUDIT_PAGE = 50;

    private final ProjectService projects;
    private final AuthService auth;
    private final AuditLog audit;
    private final Views views;

    public SettingsPages(ProjectService projects, AuthService auth, AuditLog audit, Views views) {
        this.projects = projects;
        this.auth = auth;
        this.audit = audit;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/settings", Access.READ, ctx -> general(ctx, null));
        routes.page("POST /p/{project}/settings", Access.ADMIN, this::saveGeneral);
        routes.page("GET /p/{project}/settings/members", Access.READ, ctx -> members(ctx, null));
        routes.page("POST /p/{project}/settings/members", Access.ADMIN, this::addMember);
        routes.page("POST /p/{project}/settings/members/{userId}/role", Access.ADMIN, this::changeRole);
        routes.page("POST /p/{project}/settings/members/{userId}/remove", Access.ADMIN, this::removeMember);
        routes.page("GET /p/{project}/settings/audit", Access.ENGINEER, this::auditLog);
    }

    private void general(Context ctx, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("error", error);
        views.page(ctx, "settings/general.jte", "Settings", PageContext.Section.SETTINGS, params);
    }

    private void saveGeneral(Context ctx) {
        String days = ctx.formParam("retentionDays");
        try {
            Integer retention = days == null || days.isBlank() ? null : Integer.valueOf(days.trim());
            Project updated = projects.updateSettings(Authenticator.project(ctx), ctx.formParam("name"), retention,
                    Authenticator.principal(ctx));
            ctx.redirect("/p/" + updated.slug() + "/settings");
        } catch (NumberFormatException e) {
            ctx.status(422);
            general(ctx, "Retention must be a whole number of days.");
        } catch (ApiException e) {
            ctx.status(e.status());
            general(ctx, e.getMessage());
        }
    }

    private void members(Context ctx, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("members", projects.members(Authenticator.project(ctx)));
        params.put("roles", List.of(Role.values()));
        params.put("error", error);
        views.page(ctx, "settings/members.jte", "Members", PageContext.Section.SETTINGS, params);
    }

    /** Adds an existing user by e-mail, or creates the user when a name and initial password are given. */
    private void addMember(Context ctx) {
        try {
            Role role = Role.parse(ctx.formParam("role"));
            String email = ctx.formParam("email");
            Optional<User> existing = auth.userByEmail(email);
            User user = existing.orElseGet(() -> {
                String password = ctx.formParam("password");
                if (password == null || password.isBlank()) {
                    throw ApiException.invalid("no user with e-mail " + email
                            + " yet: give an initial password to create one");
                }
                return auth.createUser(email, ctx.formParam("name"), password, false);
            });
            projects.setMember(Authenticator.project(ctx), user, role, Authenticator.principal(ctx));
            ctx.redirect("/p/" + Authenticator.project(ctx).slug() + "/settings/members");
        } catch (ApiException e) {
            ctx.status(e.status());
            members(ctx, e.getMessage());
        }
    }

    private void changeRole(Context ctx) {
        try {
            User user = auth.userById(ctx.pathParam("userId"))
                    .orElseThrow(() -> ApiException.notFound("user " + ctx.pathParam("userId")));
            projects.setMember(Authenticator.project(ctx), user, Role.parse(ctx.formParam("role")),
                    Authenticator.principal(ctx));
            ctx.redirect("/p/" + Authenticator.project(ctx).slug() + "/settings/members");
        } catch (ApiException e) {
            ctx.status(e.status());
            members(ctx, e.getMessage());
        }
    }

    private void removeMember(Context ctx) {
        try {
            projects.removeMember(Authenticator.project(ctx), ctx.pathParam("userId"), Authenticator.principal(ctx));
            ctx.redirect("/p/" + Authenticator.project(ctx).slug() + "/settings/members");
        } catch (ApiException e) {
            ctx.status(e.status());
            members(ctx, e.getMessage());
        }
    }

    private void auditLog(Context ctx) {
        List<AuditEntry> entries = audit.list(Authenticator.project(ctx).id(), ctx.queryParam("cursor"),
                AUDIT_PAGE + 1);
        Map<String, Object> params = new HashMap<>();
        params.put("entries", entries.subList(0, Math.min(AUDIT_PAGE, entries.size())));
        params.put("nextCursor", entries.size() > AUDIT_PAGE ? entries.get(AUDIT_PAGE - 1).id() : null);
        views.page(ctx, "settings/audit.jte", "Audit log", PageContext.Section.SETTINGS, params);
    }
}
