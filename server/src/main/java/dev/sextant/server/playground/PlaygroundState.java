package dev.sextant.server.playground;

import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ModelConfig;
import dev.sextant.server.models.PromptRef;
import dev.sextant.server.models.ToolDefinition;
import java.util.List;
import java.util.Map;

/**
 * What the playground page starts from (blank by default). Other features open the playground with
 * a state — a prompt version, or a logged llm span with its {@code recordedOutput} to diff against —
 * by POSTing it as JSON in the form field {@code state} to {@code /p/{project}/playground} (or
 * {@code GET ...?state=<url-encoded JSON>} for short states).
 *
 * @param variants up to 4 side-by-side variants; each has a model config and optionally its own
 *                 messages (e.g. another prompt version); without variants, one variant uses {@code model}
 * @param agentRun a recorded multi-step agent run (from a trace) whose steps can be replayed
 */
public record PlaygroundState(String title, List<ChatMessage> messages, Map<String, String> variables,
                              ModelConfig model, List<ToolDefinition> tools, PromptRef prompt, String recordedOutput,
                              List<Variant> variants, RecordedRun agentRun) {
    public static final int MAX_VARIANTS = 4;

    public PlaygroundState {
        messages = messages == null ? List.of() : List.copyOf(messages);
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        tools = tools == null ? List.of() : List.copyOf(tools);
        variants = variants == null ? List.of() : List.copyOf(variants);
    }

    /** One column of the comparison. */
    public record Variant(String label, ModelConfig model, List<ChatMessage> messages, PromptRef prompt) {
    }

    static PlaygroundState blank() {
        return new PlaygroundState(null, List.of(ChatMessage.of("system", ""), ChatMessage.of("user", "")), null,
                ModelConfig.of("sim", "sim-1"), null, null, null, null, null);
    }
}
