package dev.sextant.server.auth;

import io.javalin.security.RouteRole;

/** What a route requires of its caller; every route declares exactly one. */
public enum Access implements RouteRole {
    /** No authentication: health, login, static assets. */
    PUBLIC(null),
    /** A logged-in user; no project needed. */
    USER(null),
    /** Ingestion and feedback: any key of the project (public keys included) or an editing member. */
    INGEST(Role.EXPERT),
    /** Read project data: any member or a secret key. */
    READ(Role.VIEWER),
    /** Change project content (prompts, datasets, evaluators, reviews). */
    EDIT(Role.EXPERT),
    /** Engineering operations: API keys, production deploys, provider settings. */
    ENGINEER(Role.ENGINEER),
    /** Project administration: members. */
    ADMIN(Role.ADMIN);

    private final Role minimumRole;

    Access(Role minimumRole) {
        this.minimumRole = minimumRole;
    }

    /** The least member role that passes, or null when the route is not project-scoped. */
    public Role minimumRole() {
        return minimumRole;
    }

    public boolean projectScoped() {
        return minimumRole != null;
    }
}
