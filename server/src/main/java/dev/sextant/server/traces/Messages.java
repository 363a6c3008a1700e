package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat messages as stored: a JSON array of {@code {"role", "parts": [...]}} in the OpenTelemetry
 * GenAI shape (part types {@code text}, {@code tool_call}, {@code tool_call_response}). For display,
 * OpenAI-style messages ({@code content}, {@code tool_calls}, {@code tool_call_id}) are read too.
 */
public final class Messages {
    private Messages() {
    }

    /** One message for display. */
    public record Message(String role, List<Part> parts, String finishReason) {
    }

    /** One part: {@code text}, {@code tool_call} (name, id, arguments) or {@code tool_call_response} (id, text). */
    public record Part(String type, String text, String toolName, String toolCallId) {
        public boolean isToolCall() {
            return "tool_call".equals(type);
        }

        public boolean isToolResult() {
            return "tool_call_response".equals(type);
        }
    }

    public static boolean isMessageList(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            return false;
        }
        for (JsonNode message : node) {
            if (!message.isObject() || !message.path("role").isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** The messages of {@code node} for display; empty when it is not a message list. */
    public static List<Message> view(JsonNode node) {
        List<Message> messages = new ArrayList<>();
        if (!isMessageList(node)) {
            return messages;
        }
        for (JsonNode m : node) {
            List<Part> parts = new ArrayList<>();
            for (JsonNode p : m.path("parts")) {
                String type = p.path("type").asText("text");
                switch (type) {
                    case "tool_call" -> parts.add(new Part(type, text(p.get("arguments")), p.path("name").asText(null),
                            p.path("id").asText(null)));
                    case "tool_call_response" -> parts.add(new Part(type, text(p.get("response")), null,
                            p.path("id").asText(null)));
                    default -> parts.add(new Part("text", text(p.has("content") ? p.get("content") : p), null, null));
                }
            }
            JsonNode content = m.get("content");
            if (content != null && !content.isNull()) {
                String toolCallId = m.path("tool_call_id").asText(null);
                parts.add(new Part(toolCallId == null ? "text" : "tool_call_response", text(content), null, toolCallId));
            }
            for (JsonNode call : m.path("tool_calls")) {
                JsonNode fn = call.path("function");
                parts.add(new Part("tool_call", text(fn.has("arguments") ? fn.get("arguments") : call.get("arguments")),
                        fn.has("name") ? fn.path("name").asText() : call.path("name").asText(null),
                        call.path("id").asText(null)));
            }
            messages.add(new Message(m.path("role").asText(), parts, m.path("finish_reason").asText(null)));
        }
        return messages;
    }

    /** Text of a JSON value: strings as they are, anything else as compact JSON. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        return node.isTextual() ? node.asText() : node.toString();
    }
}
