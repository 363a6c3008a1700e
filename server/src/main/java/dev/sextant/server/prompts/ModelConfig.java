package dev.sextant.server.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The model a prompt version is meant for and its parameters; every field is optional.
 *
 * @param responseFormat {@code {"type": "text"}}, {@code {"type": "json_object"}} or
 *                       {@code {"type": "json_schema", "jsonSchema": {"name", "schema", "strict"}}}
 */
public record ModelConfig(String provider, String name, Double temperature, Integer maxTokens, Double topP,
                          List<String> stop, Long seed, JsonNode responseFormat) {
}
