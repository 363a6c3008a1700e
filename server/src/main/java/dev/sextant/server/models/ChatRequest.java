package dev.sextant.server.models;

import java.util.List;

/**
 * A gateway call: messages, model config, optional tools and the prompt it came from. The call is
 * recorded as an {@code llm} span: in trace {@code traceId} when given (hex or a UUID), else in a
 * new trace named {@code traceName} (who called: "playground", "judge: concise", ...); under span
 * {@code parentSpanId} of that trace when given, else as a root.
 */
public record ChatRequest(List<ChatMessage> messages, ModelConfig model, List<ToolDefinition> tools, PromptRef prompt,
                          String traceId, String traceName, String parentSpanId) {
    public ChatRequest {
        messages = messages == null ? List.of() : List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public ChatRequest(List<ChatMessage> messages, ModelConfig model, List<ToolDefinition> tools, PromptRef prompt) {
        this(messages, model, tools, prompt, null, null, null);
    }

    /** This request recorded under a new trace with the given name. */
    public ChatRequest named(String name) {
        return new ChatRequest(messages, model, tools, prompt, traceId, name, parentSpanId);
    }

    /** This request recorded in an existing trace. */
    public ChatRequest inTrace(String id) {
        return new ChatRequest(messages, model, tools, prompt, id, traceName, parentSpanId);
    }

    /** This request recorded as a child of span {@code spanId} in trace {@code id}. */
    public ChatRequest under(String id, String spanId) {
        return new ChatRequest(messages, model, tools, prompt, id, traceName, spanId);
    }
}
