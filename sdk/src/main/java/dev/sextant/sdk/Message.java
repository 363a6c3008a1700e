package dev.sextant.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One chat message. {@code toolName}/{@code toolCallId}/{@code arguments} describe a tool call
 * (role assistant) or a tool result (role tool); they are null for plain text messages.
 */
public record Message(String role, String content, String toolName, String toolCallId, String arguments) {

    public Message {
        Objects.requireNonNull(role, "role");
    }

    public static Message system(String content) {
        return new Message("system", content, null, null, null);
    }

    public static Message user(String content) {
        return new Message("user", content, null, null, null);
    }

    public static Message assistant(String content) {
        return new Message("assistant", content, null, null, null);
    }

    public static Message toolCall(String toolCallId, String toolName, String argumentsJson) {
        return new Message("assistant", null, toolName, toolCallId, argumentsJson);
    }

    public static Message toolResult(String toolCallId, String toolName, String result) {
        return new Message("tool", result, toolName, toolCallId, null);
    }

    /** The GenAI semantic-conventions shape: {@code {"role", "parts": [...]}}. */
    Map<String, Object> toGenAi() {
        Map<String, Object> part = new LinkedHashMap<>();
        if ("tool".equals(role)) {
            part.put("type", "tool_call_response");
            part.put("id", toolCallId);
            part.put("response", content);
        } else if (toolName != null) {
            part.put("type", "tool_call");
            part.put("id", toolCallId);
            part.put("name", toolName);
            part.put("arguments", arguments);
        } else {
            part.put("type", "text");
            part.put("content", content == null ? "" : content);
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", role);
        message.put("parts", java.util.List.of(part));
        return message;
    }
}
