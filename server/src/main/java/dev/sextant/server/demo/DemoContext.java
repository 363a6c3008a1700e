package dev.sextant.server.demo;

import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.User;
import dev.sextant.server.projects.Project;

/** The demo project, its admin and the secret API key seeders may use to call the API. */
public record DemoContext(Project project, User admin, Principal actor, String apiKey, String baseUrl) {
}
