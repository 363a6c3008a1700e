package dev.sextant.server.models;

import java.util.List;

/**
 * A gateway call: messages, model config, optional tools and the prompt it came from.
 *
 * @param traceId optional 32-hex trace id under which the call should be recorded (e.g. an experiment item's)
 */
public record ChatRequest(List<ChatMessage> messages, ModelConfig model, List<ToolDefinition> tools, PromptRef prompt,
                          String traceId) {
    public ChatRequest {
        messages = messages == null ? List.of() : List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public ChatRequest(List<ChatMessage> messages, ModelConfig model, List<ToolDefinition> tools, PromptRef prompt) {
        this(messages, model, tools, prompt, null);
    }
}
