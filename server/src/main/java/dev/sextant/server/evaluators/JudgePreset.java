package dev.sextant.server.evaluators;

/** A ready-made binary LLM-judge criterion from {@code evaluators/presets.yaml}. */
public record JudgePreset(String id, String name, String description, String template) {
}
