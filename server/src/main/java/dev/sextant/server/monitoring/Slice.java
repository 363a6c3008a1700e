package dev.sextant.server.monitoring;

import dev.sextant.server.http.ApiException;
import java.util.List;

/**
 * The rows a trace or span metric reads and how they are grouped. Without a prompt or model
 * grouping or filter it reads whole traces (grouped by nothing or by tag); otherwise the LLM spans
 * (spans with a model or prompt). {@code groupBy} "prompt" (by prompt name) and "promptModel" (by model,
 * kept apart per prompt) exist for rollups only.
 */
record Slice(String groupBy, String promptName, String model) {
    /** The rollup kinds, each the rows of one slice ({@link #ofKind}). */
    static final List<String> KINDS = List.of("all", "tag", "model", "prompt", "prompt_version", "prompt_model");

    static Slice of(MetricQuery q) {
        return new Slice(q.groupBy(), q.promptName(), q.model());
    }

    boolean spanMode() {
        return groupBy != null && !groupBy.equals("tag") || promptName != null || model != null;
    }

    /**
     * Which rollup rows answer this slice: a kind, optionally one group value ({@code dim}) or one
     * prompt, and whether their groups collapse into "all". Null for a prompt-version breakdown
     * filtered by model (an API-only combination): it reads raw rows.
     */
    RollupRead rollup() {
        if (!spanMode()) {
            return new RollupRead(groupBy == null ? "all" : "tag", null, null, false);
        }
        if ("promptVersion".equals(groupBy)) {
            return model == null ? new RollupRead("prompt_version", null, promptName, false) : null;
        }
        boolean collapse = groupBy == null;
        if (promptName != null && (model != null || !collapse)) {
            return new RollupRead("prompt_model", model, promptName, collapse);
        }
        return promptName != null ? new RollupRead("prompt", promptName, null, true)
                : new RollupRead("model", model, null, collapse);
    }

    record RollupRead(String kind, String dim, String promptName, boolean collapse) {
    }

    /** The slice whose rows a rollup kind stores. */
    static Slice ofKind(String kind) {
        return switch (kind) {
            case "all" -> new Slice(null, null, null);
            case "tag" -> new Slice("tag", null, null);
            case "model" -> new Slice("model", null, null);
            case "prompt" -> new Slice("prompt", null, null);
            case "prompt_version" -> new Slice("promptVersion", null, null);
            case "prompt_model" -> new Slice("promptModel", null, null);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    void validate() {
        if ("tag".equals(groupBy) && spanMode()) {
            throw ApiException.invalid("groupBy=tag cannot be combined with a model or prompt filter");
        }
    }
}
