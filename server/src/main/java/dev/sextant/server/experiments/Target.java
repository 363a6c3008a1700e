package dev.sextant.server.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a run evaluates: a prompt version (by label or version, pinned to a version when the experiment
 * is created) with optional model overrides, or {@code external} (the caller posts the outputs).
 *
 * @param type    {@code prompt} or {@code external}
 * @param version for prompts: the version asked for, and after creation always the pinned version
 * @param model   optional overrides of the prompt's model config (null fields keep the prompt's)
 * @param name    optional display name (defaults to {@code prompt@vN model})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Target(String type, String prompt, String label, Integer version, ModelOverride model, String name) {
    public static final String PROMPT = "prompt";
    public static final String EXTERNAL = "external";

    /** Model config fields a run may override. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelOverride(String provider, String name, Double temperature, Integer maxTokens) {
        boolean isEmpty() {
            return provider == null && name == null && temperature == null && maxTokens == null;
        }
    }

    public boolean external() {
        return EXTERNAL.equals(type);
    }

    Target pinned(int pinnedVersion, String display) {
        return new Target(type, prompt, label, pinnedVersion, model == null || model.isEmpty() ? null : model,
                name == null || name.isBlank() ? display : name);
    }
}
