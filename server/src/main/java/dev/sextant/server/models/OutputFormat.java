package dev.sextant.server.models;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The response format: {@code text} (default), {@code json} (any JSON object) or {@code json_schema}
 * (structured output matching {@code schema}, named {@code name}).
 */
public record OutputFormat(String type, String name, JsonNode schema) {
}
