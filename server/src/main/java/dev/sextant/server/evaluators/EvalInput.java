package dev.sextant.server.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Everything an evaluator may look at for one example: what the application produced, what was
 * expected, and how it got there. Any field may be null when the source does not have it.
 *
 * @param input     the prompt's input variables
 * @param context   retrieved documents or other grounding text
 * @param latencyMs end-to-end latency in milliseconds
 * @param cost      money spent, in the project's currency units (USD)
 * @param tokens    total tokens (input + output)
 */
public record EvalInput(String output, String expected, Map<String, Object> input, String context,
                        Map<String, Object> metadata, Long latencyMs, Double cost, Long tokens,
                        List<ToolCall> toolCalls) {

    /** A tool the model asked to call, with its arguments as JSON. */
    public record ToolCall(String name, JsonNode arguments) {
    }

    public static EvalInput ofOutput(String output) {
        return new EvalInput(output, null, null, null, null, null, null, null, null);
    }

    public EvalInput withExpected(String value) {
        return new EvalInput(output, value, input, context, metadata, latencyMs, cost, tokens, toolCalls);
    }

    public EvalInput withOutput(String value) {
        return new EvalInput(value, expected, input, context, metadata, latencyMs, cost, tokens, toolCalls);
    }

    public Map<String, Object> inputOrEmpty() {
        return input == null ? Map.of() : input;
    }

    public Map<String, Object> metadataOrEmpty() {
        return metadata == null ? Map.of() : metadata;
    }

    public List<ToolCall> toolCallsOrEmpty() {
        return toolCalls == null ? List.of() : toolCalls;
    }
}
