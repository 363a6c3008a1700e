package dev.sextant.server.playground;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ChatRequest;
import dev.sextant.server.models.ChatResult;
import dev.sextant.server.models.ModelConfig;
import dev.sextant.server.models.ToolCall;
import dev.sextant.server.traces.SpanRecord;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;

/**
 * Replays one step of a recorded agent run with its recorded history and, optionally, continues the
 * loop: each tool call the model makes is answered from the recorded tool results with the same tool
 * name and equal JSON arguments (each recorded result used once). A call with no recorded result is
 * reported as unresolved and the loop stops there: results are never invented. A replay is traced
 * as it ran: an {@code agent} root span (the recorded history in, the last answer out) with the
 * model calls and the answered tool calls as its children.
 */
public final class AgentReplayService {
    public static final int MAX_STEPS = 10;

    /** How the replay calls a model; {@code ModelGateway::chat} in production. */
    @FunctionalInterface
    public interface ModelCaller {
        ChatResult chat(String projectId, ChatRequest request);
    }

    /**
     * @param step         0-based index of the recorded llm step to replay
     * @param model        model config to use instead of the recorded one (null: as recorded)
     * @param continueLoop keep going while tool calls can be answered from the recording
     * @param maxSteps     upper bound on model calls when continuing (default 5, at most 10)
     */
    public record Request(RecordedRun run, Integer step, ModelConfig model, Boolean continueLoop, Integer maxSteps) {
    }

    /** A tool call and how it was answered; {@code resolved} false means no recorded result matched. */
    public record ToolResolution(ToolCall call, boolean resolved, String result) {
    }

    /** One replayed model call; the first carries the recorded output and a diff against it. */
    public record ReplayedStep(int number, List<ChatMessage> messages, ChatResult result, String recordedOutput,
                               List<TextDiff.Segment> diff, List<ToolResolution> toolCalls) {
    }

    /**
     * Steps replayed and why it stopped: {@code final_answer}, {@code unresolved_tool_call}, {@code max_steps},
     * {@code single_step}; {@code traceId} is the replay's own trace.
     */
    public record Result(String traceId, List<ReplayedStep> steps, String stopReason) {
    }

    /** Where the replay's own spans go (its root and tool calls); the model calls trace themselves. */
    @FunctionalInterface
    public interface SpanSink {
        void record(String projectId, List<SpanRecord> spans);
    }

    private final ModelCaller models;
    private final SpanSink spans;

    public AgentReplayService(ModelCaller models, SpanSink spans) {
        this.models = models;
        this.spans = spans;
    }

    public Result replay(String projectId, Request request) {
        if (request == null || request.run() == null || request.run().steps().isEmpty()) {
            throw ApiException.badRequest("run.steps must hold at least one recorded llm step");
        }
        int index = request.step() == null ? 0 : request.step();
        if (index < 0 || index >= request.run().steps().size()) {
            throw ApiException.badRequest("step must be between 0 and " + (request.run().steps().size() - 1));
        }
        RecordedRun.Step recorded = request.run().steps().get(index);
        if (recorded.messages().isEmpty()) {
            throw ApiException.badRequest("the chosen step has no recorded messages");
        }
        ModelConfig model = request.model() != null ? request.model() : recorded.model();
        if (model == null) {
            throw ApiException.badRequest("the chosen step has no recorded model; give one");
        }
        ReplayTrace trace = new ReplayTrace(index, recorded.messages());
        List<ReplayedStep> steps = new ArrayList<>();
        String stopReason = null;
        RuntimeException failure = null;
        try {
            stopReason = run(projectId, request, recorded, model, trace, steps);
            return new Result(trace.traceId(), steps, stopReason);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            spans.record(projectId, trace.spans(steps, stopReason, failure));
        }
    }

    /** The replay loop: appends each model call to {@code steps}; returns why it stopped. */
    private String run(String projectId, Request request, RecordedRun.Step recorded, ModelConfig model,
                       ReplayTrace trace, List<ReplayedStep> steps) {
        boolean loop = Boolean.TRUE.equals(request.continueLoop());
        int maxSteps = Math.clamp(request.maxSteps() == null ? 5 : request.maxSteps(), 1, MAX_STEPS);
        LinkedList<RecordedRun.ToolResult> available = new LinkedList<>(request.run().toolResults());
        List<ChatMessage> history = new ArrayList<>(recorded.messages());
        while (true) {
            List<ChatMessage> input = List.copyOf(history);
            ChatResult result = models.chat(projectId, new ChatRequest(input, model, recorded.tools(), null)
                    .named(ReplayTrace.NAME).under(trace.traceId(), trace.rootId()));
            boolean first = steps.isEmpty();
            String recordedOutput = first ? recordedOutput(recorded) : null;
            List<TextDiff.Segment> diff = first && recordedOutput != null
                    ? TextDiff.diff(recordedOutput, PlaygroundService.comparable(result)) : null;
            List<ToolResolution> resolutions = loop ? resolve(result.toolCalls(), available) : List.of();
            steps.add(new ReplayedStep(steps.size() + 1, input, result, recordedOutput, diff, resolutions));
            trace.toolCalls(resolutions);
            if (!loop) {
                return "single_step";
            }
            if (result.toolCalls().isEmpty()) {
                return "final_answer";
            }
            if (resolutions.stream().anyMatch(r -> !r.resolved())) {
                return "unresolved_tool_call";
            }
            if (steps.size() >= maxSteps) {
                return "max_steps";
            }
            history.add(new ChatMessage("assistant", result.text(), result.toolCalls(), null, null));
            for (ToolResolution r : resolutions) {
                history.add(new ChatMessage("tool", r.result(), List.of(), r.call().id(), r.call().name()));
            }
        }
    }

    private static String recordedOutput(RecordedRun.Step step) {
        String text = PlaygroundService.comparable(step.output(), step.toolCalls());
        return text.isEmpty() ? null : text;
    }

    private static List<ToolResolution> resolve(List<ToolCall> calls, List<RecordedRun.ToolResult> available) {
        List<ToolResolution> out = new ArrayList<>();
        for (ToolCall call : calls) {
            RecordedRun.ToolResult match = available.stream()
                    .filter(r -> Objects.equals(r.name(), call.name()) && sameArguments(r.arguments(), call.arguments()))
                    .findFirst().orElse(null);
            if (match == null) {
                out.add(new ToolResolution(call, false, null));
            } else {
                available.remove(match);
                out.add(new ToolResolution(call, true, match.result()));
            }
        }
        return out;
    }

    /** Equal as JSON values (key order and spacing do not matter), else equal as trimmed text. */
    static boolean sameArguments(String recorded, String called) {
        try {
            JsonNode a = Json.mapper().readTree(recorded == null ? "{}" : recorded);
            JsonNode b = Json.mapper().readTree(called == null ? "{}" : called);
            return a != null && a.equals(b);
        } catch (JsonProcessingException e) {
            return Objects.equals(recorded == null ? null : recorded.strip(), called == null ? null : called.strip());
        }
    }
}
