package dev.sextant.server.auth;

import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.config.SextantConfig;
import dev.sextant.server.projects.Project;
import dev.sextant.server.projects.ProjectService;
import java.util.Optional;

/**
 * First start: creates the admin, a project and a secret key from the SEXTANT_INIT_* settings
 * (idempotent on later starts), or, without them, an admin with a random password printed once.
 */
public final class InitialSetup {
    private final AuthService auth;
    private final ProjectService projects;

    public InitialSetup(AuthService auth, ProjectService projects) {
        this.auth = auth;
        this.projects = projects;
    }

    /** What happened, for the operator; {@code generatedPassword} is set only when one was made up. */
    public record Outcome(User admin, Project project, String generatedPassword) {
    }

    public Optional<Outcome> run(SextantConfig config) {
        String email = config.get(ConfigKey.INIT_ADMIN_EMAIL);
        if (email.isBlank()) {
            if (auth.hasUsers()) {
                return Optional.empty();
            }
            String password = Secrets.randomToken(20);
            User admin = auth.createUser("admin@localhost", "Admin", password, true);
            return Optional.of(new Outcome(admin, null, password));
        }
        User admin = auth.userByEmail(email).orElseGet(() -> {
            String password = config.get(ConfigKey.INIT_ADMIN_PASSWORD);
            if (password.isBlank()) {
                throw new dev.sextant.server.config.ConfigException(
                        "SEXTANT_INIT_ADMIN_PASSWORD is required with SEXTANT_INIT_ADMIN_EMAIL");
            }
            return auth.createUser(email, null, password, true);
        });
        Principal actor = Principal.ofUser(admin);
        Project project = null;
        String projectName = config.get(ConfigKey.INIT_PROJECT);
        if (!projectName.isBlank()) {
            project = projects.projectsFor(admin).stream().filter(p -> p.name().equals(projectName.trim()))
                    .findFirst().orElseGet(() -> projects.create(projectName, admin, actor));
            String key = config.get(ConfigKey.INIT_API_KEY);
            if (!key.isBlank() && !auth.keyExists(key)) {
                auth.registerKey(project.id(), ApiKey.Kind.SECRET, "initial key", key, actor.inProject(project, Role.ADMIN));
            }
        }
        return Optional.of(new Outcome(admin, project, null));
    }
}
