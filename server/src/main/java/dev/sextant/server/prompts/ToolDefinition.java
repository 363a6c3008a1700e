package dev.sextant.server.prompts;

import com.fasterxml.jackson.databind.JsonNode;

/** A function the model may call: its name, what it does, and its parameters as a JSON schema object. */
public record ToolDefinition(String name, String description, JsonNode parameters) {
}
