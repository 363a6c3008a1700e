package dev.sextant.server.models;

import java.util.List;

/**
 * One chat message: {@code system}, {@code user}, {@code assistant} (text and/or tool calls) or
 * {@code tool} (a tool's result, answering {@code toolCallId}; {@code name} is the tool's name).
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {
    public ChatMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, List.of(), null, null);
    }
}
