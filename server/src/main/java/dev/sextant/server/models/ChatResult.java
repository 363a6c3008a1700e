package dev.sextant.server.models;

import java.util.List;

/**
 * What a gateway call returned: text and/or tool calls, usage, cost in USD (null when the model has
 * no known price), wall-clock latency including retries, and how many attempts it took.
 */
public record ChatResult(String text, List<ToolCall> toolCalls, String finishReason, Usage usage, Double costUsd,
                         long latencyMs, int attempts, String provider, String model) {
    public ChatResult {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}
