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
        TRACES("Traces", "/traces", "Every LLM call, retrieval, tool and agent step your application makes, "
                + "with inputs, outputs, tokens, cost and latency. Send traces with OpenTelemetry (OTLP/HTTP to "
                + "/v1/traces) or the Java SDK, using an API key from Settings → API keys."),
        PROMPTS("Prompts", "/prompts", "Versioned prompts deployed by label (production, staging), "
                + "edited in the browser by domain experts and synced with .prompt files in git."),
        PLAYGROUND("Playground", "/playground", "Try prompts and models side by side, and replay any logged "
                + "LLM call with changed messages, model or parameters."),
        DATASETS("Datasets", "/datasets", "Versioned test sets, imported from CSV or JSONL or promoted from "
                + "production traces with corrected expected outputs."),
        EVALUATORS("Evaluators", "/evaluators", "Small, specific criteria: code checks, LLM judges and human "
                + "rubrics. Together they form a scorecard."),
        EXPERIMENTS("Experiments", "/experiments", "Run a dataset through prompt versions and models, score "
                + "every item, and compare runs with confidence intervals and a Pareto frontier."),
        REVIEW("Review", "/review", "Queues of traces for domain experts to judge with a rubric; their "
                + "labels calibrate the LLM judges."),
        MONITORING("Monitoring", "/monitoring", "Dashboards, online evaluators on live traffic, and alerts."),
        SETTINGS("Settings", "/settings", "Project name, retention, members, API keys and the audit log."),
        NONE("", "", "");

        private final String label;
        private final String path;

        private final String description;

        Section(String label, String path, String description) {
            this.label = label;
            this.path = path;
            this.description = description;
        }

        /** One paragraph for the section's empty state: what it is and how to fill it. */
        public String description() {
            return description;
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
