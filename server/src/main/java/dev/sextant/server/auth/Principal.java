package dev.sextant.server.auth;

import dev.sextant.server.projects.Project;

/**
 * Who is calling, resolved once per request: a user (browser session) or an API key, and,
 * for project-scoped routes, the project and the effective role in it.
 */
public record Principal(User user, ApiKey key, Project project, Role role) {

    public static Principal ofUser(User user) {
        return new Principal(user, null, null, null);
    }

    public static Principal ofKey(ApiKey key, Project project) {
        Role role = key.kind() == ApiKey.Kind.SECRET ? Role.ADMIN : null;
        return new Principal(null, key, project, role);
    }

    public Principal inProject(Project project, Role role) {
        return new Principal(user, key, project, role);
    }

    public boolean isPublicKey() {
        return key != null && key.kind() == ApiKey.Kind.PUBLIC;
    }

    /** Who to name in the audit log. */
    public String actorLabel() {
        if (user != null) {
            return user.email();
        }
        return key == null ? "system" : "key " + key.name() + " (" + key.displayPrefix() + ")";
    }

    public String userId() {
        return user == null ? null : user.id();
    }
}
