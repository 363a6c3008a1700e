package dev.sextant.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;

/** Plain text of stored span and trace fields, for evaluators. */
final class Texts {
    private Texts() {
    }

    /**
     * A JSON string's content; for a chat message list, the text of its last message (the answer) or,
     * with {@code all}, of every message; anything else as JSON.
     */
    static String of(String storedJson, boolean all) {
        if (storedJson == null) {
            return null;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(storedJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return storedJson;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray() && !node.isEmpty() && node.get(0).has("role")) {
            StringBuilder text = new StringBuilder();
            int start = all ? 0 : node.size() - 1;
            for (int i = start; i < node.size(); i++) {
                JsonNode m = node.get(i);
                if (m.has("content")) {
                    append(text, m.get("content"));
                }
                for (JsonNode part : m.path("parts")) {
                    if (part.path("type").asText("text").equals("text")) {
                        append(text, part.has("content") ? part.get("content") : part.path("text"));
                    }
                }
            }
            return text.toString();
        }
        return node.toString();
    }

    private static void append(StringBuilder text, JsonNode value) {
        if (!text.isEmpty()) {
            text.append('\n');
        }
        text.append(value.isTextual() ? value.asText() : value.toString());
    }
}
