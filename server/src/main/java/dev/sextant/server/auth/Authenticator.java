package dev.sextant.server.auth;

import dev.sextant.server.http.ApiException;
import dev.sextant.server.projects.Project;
import dev.sextant.server.projects.ProjectService;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Optional;

/**
 * Runs before every matched route: resolves the caller (bearer key or session cookie), checks
 * CSRF for cookie-authenticated writes, resolves the project and enforces the route's {@link Access}.
 */
public final class Authenticator implements Handler {
    public static final String SESSION_COOKIE = "sextant_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "_csrf";
    public static final String PROJECT_HEADER = "X-Sextant-Project";
    private static final String PRINCIPAL = "sextant.principal";
    private static final String CSRF_TOKEN = "sextant.csrf";

    private final AuthService auth;
    private final ProjectService projects;

    public Authenticator(AuthService auth, ProjectService projects) {
        this.auth = auth;
        this.projects = projects;
    }

    /** The caller of the current request (set for every non-public route). */
    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no principal: route is public");
        }
        return principal;
    }

    /** The caller's project: present on every project-scoped route. */
    public static Project project(Context ctx) {
        return principal(ctx).project();
    }

    /** The session's CSRF token, for forms and htmx requests (null for key callers). */
    public static String csrfToken(Context ctx) {
        return ctx.attribute(CSRF_TOKEN);
    }

    @Override
    public void handle(Context ctx) {
        Access access = ctx.routeRoles().stream().filter(Access.class::isInstance).map(Access.class::cast)
                .findFirst().orElse(Access.PUBLIC);
        if (access == Access.PUBLIC) {
            return;
        }
        Principal principal = authenticate(ctx);
        if (access == Access.USER) {
            if (principal.user() == null) {
                throw ApiException.forbidden("this route needs a logged-in user, not an API key");
            }
        } else {
            principal = scopeToProject(ctx, principal, access);
        }
        ctx.attribute(PRINCIPAL, principal);
    }

    private Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw ApiException.unauthorized("use 'Authorization: Bearer <api key>'");
            }
            ApiKey key = auth.authenticateKey(header.substring(7).trim())
                    .orElseThrow(() -> ApiException.unauthorized("unknown or revoked API key"));
            Project project = projects.byId(key.projectId())
                    .orElseThrow(() -> ApiException.unauthorized("unknown or revoked API key"));
            return Principal.ofKey(key, project);
        }
        Optional<AuthService.SessionInfo> session = auth.session(ctx.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            if (isApi(ctx)) {
                throw ApiException.unauthorized("authentication required: send 'Authorization: Bearer <api key>'");
            }
            throw new LoginRequiredException();
        }
        ctx.attribute(CSRF_TOKEN, session.get().csrfToken());
        if (changesState(ctx.method())) {
            String submitted = ctx.header(CSRF_HEADER);
            if (submitted == null && isForm(ctx)) {
                submitted = ctx.formParam(CSRF_FIELD);
            }
            if (!Secrets.equalsConstantTime(submitted, session.get().csrfToken())) {
                throw new ApiException(403, "csrf", "missing or invalid CSRF token; reload the page and try again");
            }
        }
        return Principal.ofUser(session.get().user());
    }

    private Principal scopeToProject(Context ctx, Principal principal, Access access) {
        String requested = requestedProject(ctx);
        if (principal.key() != null) {
            Project project = principal.project();
            if (requested != null && !requested.equals(project.id()) && !requested.equals(project.slug())) {
                throw ApiException.notFound("project " + requested);
            }
            if (principal.isPublicKey() && access != Access.INGEST) {
                throw ApiException.forbidden("public keys may only send traces and feedback; use a secret key");
            }
            return principal;
        }
        if (requested == null) {
            throw ApiException.badRequest("choose a project with the " + PROJECT_HEADER + " header");
        }
        Project project = projects.find(requested).orElseThrow(() -> ApiException.notFound("project " + requested));
        Role role = projects.roleOf(project, principal.user())
                .orElseThrow(() -> ApiException.notFound("project " + requested));
        if (!role.atLeast(access.minimumRole())) {
            throw ApiException.forbidden("this needs the " + access.minimumRole().id()
                    + " role or higher; you are " + role.id());
        }
        return principal.inProject(project, role);
    }

    private static String requestedProject(Context ctx) {
        String fromPath = ctx.pathParamMap().get("project");
        if (fromPath != null) {
            return fromPath;
        }
        String fromHeader = ctx.header(PROJECT_HEADER);
        return fromHeader != null && !fromHeader.isBlank() ? fromHeader.trim() : ctx.queryParam("project");
    }

    private static boolean changesState(HandlerType method) {
        return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && (type.startsWith("application/x-www-form-urlencoded")
                || type.startsWith("multipart/form-data"));
    }

    public static boolean isApi(Context ctx) {
        String path = ctx.path();
        return path.startsWith("/api/") || path.startsWith("/v1/") || "application/json".equals(ctx.header("Accept"));
    }
}
