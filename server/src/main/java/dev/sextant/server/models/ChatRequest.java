package dev.sextant.server.models;

import java.util.List;

/** A gateway call: messages, model config, optional tools and the prompt it came from. */
public record ChatRequest(List<ChatMessage> messages, ModelConfig model, List<ToolDefinition> tools, PromptRef prompt) {
    public ChatRequest {
        messages = messages == null ? List.of() : List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
