package dev.sextant.server.web;

import dev.sextant.server.auth.Role;
import dev.sextant.server.auth.User;
import dev.sextant.server.projects.Project;
import java.util.List;

/** What every page's layout needs: who is looking, at which project, and where in the navigation. */
public record PageContext(String title, Section section, User user, Project project, List<Project> projects,
                          Role role, String csrfToken) {

    /** Top-level navigation, in display order. */
    public enum Section {
        TRACES("Traces", "/traces"),
        PROMPTS("Prompts", "/prompts"),
        PLAYGROUND("Playground", "/playground"),
        DATASETS("Datasets", "/datasets"),
        EVALUATORS("Evaluators", "/evaluators"),
        EXPERIMENTS("Experiments", "/experiments"),
        REVIEW("Review", "/review"),
        MONITORING("Monitoring", "/monitoring"),
        SETTINGS("Settings", "/settings"),
        NONE("", "");

        private final String label;
        private final String path;

        Section(String label, String path) {
            this.label = label;
            this.path = path;
        }

        public String label() {
            return label;
        }

        public String path() {
            return path;
        }

        public static List<Section> navigation() {
            return List.of(TRACES, PROMPTS, PLAYGROUND, DATASETS, EVALUATORS, EXPERIMENTS, REVIEW, MONITORING, SETTINGS);
        }
    }

    /** A link inside the current project, e.g. {@code url("/settings/keys")}. */
    public String url(String suffix) {
        return "/p/" + project.slug() + suffix;
    }

    public boolean can(Role needed) {
        return role != null && role.atLeast(needed);
    }

    public boolean canEdit() {
        return can(Role.EXPERT);
    }

    public boolean canEngineer() {
        return can(Role.ENGINEER);
    }

    public boolean isAdmin() {
        return can(Role.ADMIN);
    }

    /** JSON for htmx's hx-headers attribute, so every htmx request carries the CSRF token. */
    public String htmxHeaders() {
        return "{\"X-CSRF-Token\": \"" + (csrfToken == null ? "" : csrfToken) + "\"}";
    }
}
