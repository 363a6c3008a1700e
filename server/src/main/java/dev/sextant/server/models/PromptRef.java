package dev.sextant.server.models;

/** The prompt version a call was rendered from, when there is one (recorded on the llm span). */
public record PromptRef(String name, Integer version) {
}
