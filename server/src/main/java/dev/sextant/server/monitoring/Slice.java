package dev.sextant.server.monitoring;

import dev.sextant.server.http.ApiException;
import java.util.List;

/**
 * The rows a trace or span metric reads and how they are grouped. Without a prompt or model
 * grouping or filter it reads whole traces (grouped by nothing or by tag); otherwise the LLM spans
 * (spans with a model or prompt). {@code groupBy} "prompt" (by prompt name), "promptModel" (by model,
 * kept apart per prompt) and "modelPromptVersion" (by prompt version, kept apart per model) exist for
 * rollups only.
 */
record Slice(String groupBy, String promptName, String model) {
    /** The rollup kinds, each the rows of one slice ({@link #ofKind}). */
    static final List<String> KINDS = List.of("all", "tag", "model", "prompt", "prompt_version", "prompt_model",
            "model_prompt_version");

    static Slice of(MetricQuery q) {
        return new Slice(q.groupBy(), q.promptName(), q.model());
    }

    boolean spanMode() {
        return groupBy != null && !groupBy.equals("tag") || promptName != null || model != null;
    }

    /**
     * Which rollup rows answer this slice: a kind, optionally one group value ({@code dim}), one
     * prompt or one model, and whether their groups collapse into "all".
     */
    RollupRead rollup() {
        if (!spanMode()) {
            return new RollupRead(groupBy == null ? "all" : "tag", null, null, null, false);
        }
        if ("promptVersion".equals(groupBy)) {
            return model == null ? new RollupRead("prompt_version", null, promptName, null, false)
                    : new RollupRead("model_prompt_version", null, promptName, model, false);
        }
        boolean collapse = groupBy == null;
        if (promptName != null && (model != null || !collapse)) {
            return new RollupRead("prompt_model", model, promptName, null, collapse);
        }
        return promptName != null ? new RollupRead("prompt", promptName, null, null, true)
                : new RollupRead("model", model, null, null, collapse);
    }

    record RollupRead(String kind, String dim, String promptName, String model, boolean collapse) {
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
            case "model_prompt_version" -> new Slice("modelPromptVersion", null, null);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    void validate() {
        if ("tag".equals(groupBy) && spanMode()) {
            throw ApiException.invalid("groupBy=tag cannot be combined with a model or prompt filter");
        }
    }
}
