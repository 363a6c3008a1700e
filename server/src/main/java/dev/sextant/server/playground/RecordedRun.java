package dev.sextant.server.playground;

import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ModelConfig;
import dev.sextant.server.models.ToolCall;
import dev.sextant.server.models.ToolDefinition;
import java.util.List;

/**
 * A recorded multi-step agent run, as the traces feature will extract it from a trace: its {@code llm}
 * steps in order (each with the exact input messages, tools, parameters and recorded output) and the
 * results of the {@code tool} spans.
 */
public record RecordedRun(List<Step> steps, List<ToolResult> toolResults) {
    public RecordedRun {
        steps = steps == null ? List.of() : List.copyOf(steps);
        toolResults = toolResults == null ? List.of() : List.copyOf(toolResults);
    }

    /** One recorded llm call. */
    public record Step(List<ChatMessage> messages, List<ToolDefinition> tools, ModelConfig model, String output,
                       List<ToolCall> toolCalls) {
        public Step {
            messages = messages == null ? List.of() : List.copyOf(messages);
            tools = tools == null ? List.of() : List.copyOf(tools);
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }
    }

    /** One recorded tool execution: the tool, the JSON arguments it was called with, what it returned. */
    public record ToolResult(String name, String arguments, String result) {
    }
}
