package dev.sextant.server.models;

import com.fasterxml.jackson.databind.JsonNode;

/** A function the model may call; {@code parameters} is a JSON schema of type object. */
public record ToolDefinition(String name, String description, JsonNode parameters) {
}
