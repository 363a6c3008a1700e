package dev.sextant.server.demo;

import dev.sextant.server.SextantServices;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.User;
import dev.sextant.server.projects.Project;

/**
 * The demo project, its admin and the secret API key seeders may use to call the API; {@code services}
 * for seeders that write in bulk through the services (null when a test builds a context by hand).
 */
public record DemoContext(Project project, User admin, Principal actor, String apiKey, String baseUrl,
                          SextantServices services) {

    public DemoContext(Project project, User admin, Principal actor, String apiKey, String baseUrl) {
        this(project, admin, actor, apiKey, baseUrl, null);
    }
}
