package dev.sextant.server.models;

/** A tool call requested by a model; {@code arguments} is the JSON text the model produced. */
public record ToolCall(String id, String name, String arguments) {
}
