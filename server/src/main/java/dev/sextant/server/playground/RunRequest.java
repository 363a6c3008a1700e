package dev.sextant.server.playground;

import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ModelConfig;
import dev.sextant.server.models.PromptRef;
import dev.sextant.server.models.ToolDefinition;
import java.util.List;
import java.util.Map;

/**
 * One playground run: messages with {@code {{variables}}}, their values, the model config and tools.
 * With {@code recordedOutput} (replay of a logged call) the response also holds a diff against it.
 */
public record RunRequest(List<ChatMessage> messages, Map<String, String> variables, ModelConfig model,
                         List<ToolDefinition> tools, PromptRef prompt, String recordedOutput) {
    public RunRequest {
        messages = messages == null ? List.of() : List.copyOf(messages);
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
