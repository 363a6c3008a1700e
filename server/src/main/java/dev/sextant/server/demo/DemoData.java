package dev.sextant.server.demo;

import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.auth.AuthService;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.Role;
import dev.sextant.server.auth.User;
import dev.sextant.server.projects.Project;
import dev.sextant.server.projects.ProjectService;
import dev.sextant.server.SextantServices;
import java.util.List;

/** Seeds the demo: a user, a project and a key, then every feature's seeder in order. */
public final class DemoData {
    public static final String EMAIL = "demo@sextant.local";
    public static final String PASSWORD = "sextant-demo";
    public static final String PROJECT = "Support Bot";

    private final List<DemoSeeder> seeders;

    public DemoData(List<DemoSeeder> seeders) {
        this.seeders = List.copyOf(seeders);
    }

    public DemoContext seed(SextantServices services, String baseUrl) throws Exception {
        AuthService auth = services.auth();
        ProjectService projects = services.projects();
        User admin = auth.userByEmail(EMAIL).orElseGet(() -> auth.createUser(EMAIL, "Demo Admin", PASSWORD, true));
        Principal actor = Principal.ofUser(admin);
        Project project = projects.projectsFor(admin).stream().filter(p -> p.name().equals(PROJECT)).findFirst()
                .orElseGet(() -> projects.create(PROJECT, admin, actor));
        Principal inProject = actor.inProject(project, Role.ADMIN);
        String key = auth.createKey(project.id(), ApiKey.Kind.SECRET, "demo key", inProject).secret();
        DemoContext context = new DemoContext(project, admin, inProject, key, baseUrl, services);
        for (DemoSeeder seeder : seeders) {
            seeder.seed(context);
        }
        return context;
    }
}
