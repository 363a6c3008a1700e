package dev.sextant.server.playground;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ModelConfig;
import dev.sextant.server.models.OutputFormat;
import dev.sextant.server.models.PromptRef;
import dev.sextant.server.models.ToolCall;
import dev.sextant.server.models.ToolDefinition;
import dev.sextant.server.prompts.PromptVersion;
import dev.sextant.server.traces.Messages;
import dev.sextant.server.traces.Span;
import dev.sextant.server.traces.SpanKind;
import dev.sextant.server.traces.TraceDetail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Playground states (the JSON the playground page opens with) built from what other pages show: a
 * logged llm span (its exact messages, tools and parameters, and its output to diff against), a
 * trace's agent run (llm steps and tool results, for agent replay) and a prompt version.
 */
public final class PlaygroundStates {
    private PlaygroundStates() {
    }

    /** A logged llm call, replayable with its recorded output. */
    public static String ofSpan(Span span) {
        RecordedRun.Step step = step(span);
        return Json.write(new PlaygroundState("replay of " + span.name(), step.messages(), null, step.model(),
                step.tools(), prompt(span), recordedOutput(step), null, null));
    }

    /** Whether the trace is an agent run worth replaying: several llm steps, or llm steps calling tools. */
    public static boolean isAgentRun(TraceDetail trace) {
        List<Span> spans = flat(trace);
        long llm = spans.stream().filter(s -> SpanKind.LLM.id().equals(s.kind())).count();
        long tools = spans.stream().filter(s -> SpanKind.TOOL.id().equals(s.kind())).count();
        return llm >= 2 || (llm >= 1 && tools >= 1);
    }

    /** The trace as a recorded agent run: its llm spans in start order and its tool spans' results. */
    public static RecordedRun run(TraceDetail trace) {
        List<Span> spans = flat(trace);
        spans.sort(java.util.Comparator.comparing(Span::startTime, java.util.Comparator.nullsLast(
                java.util.Comparator.naturalOrder())));
        List<RecordedRun.Step> steps = new ArrayList<>();
        List<RecordedRun.ToolResult> results = new ArrayList<>();
        for (Span s : spans) {
            if (SpanKind.LLM.id().equals(s.kind())) {
                steps.add(step(s));
            } else if (SpanKind.TOOL.id().equals(s.kind())) {
                results.add(new RecordedRun.ToolResult(toolName(s), text(s.input()), text(s.output())));
            }
        }
        return new RecordedRun(steps, results);
    }

    public static String ofTrace(TraceDetail trace) {
        RecordedRun run = run(trace);
        RecordedRun.Step first = run.steps().isEmpty() ? null : run.steps().getFirst();
        return Json.write(new PlaygroundState("agent run of " + (trace.trace().name() == null ? trace.trace().id()
                : trace.trace().name()), first == null ? List.of() : first.messages(), null,
                first == null ? null : first.model(), first == null ? null : first.tools(), null,
                first == null ? null : recordedOutput(first), null, run));
    }

    /** A prompt version: its messages (placeholders left out), model, tools and an empty value per variable. */
    public static String ofPrompt(PromptVersion version) {
        List<ChatMessage> messages = new ArrayList<>();
        if (version.messages() != null) {
            version.messages().stream().filter(m -> !m.isPlaceholder())
                    .forEach(m -> messages.add(ChatMessage.of(m.role(), m.content())));
        } else {
            messages.add(ChatMessage.of("user", version.text()));
        }
        Map<String, String> variables = new LinkedHashMap<>();
        version.variables().forEach(v -> variables.put(v, ""));
        dev.sextant.server.prompts.ModelConfig m = version.model();
        ModelConfig model = m == null ? ModelConfig.of("sim", "sim-1") : new ModelConfig(
                m.provider() == null ? "sim" : m.provider(), m.name() == null ? "sim-1" : m.name(), m.temperature(),
                m.maxTokens(), m.topP(), m.stop(), m.seed() == null ? null : m.seed().intValue(), format(m.responseFormat()));
        List<ToolDefinition> tools = version.tools() == null ? List.of() : version.tools().stream()
                .map(t -> new ToolDefinition(t.name(), t.description(), t.parameters())).toList();
        return Json.write(new PlaygroundState(version.name() + " v" + version.version(), messages, variables, model,
                tools, new PromptRef(version.name(), version.version()), null, null, null));
    }

    private static OutputFormat format(JsonNode node) {
        if (node == null || !node.hasNonNull("type")) {
            return null;
        }
        JsonNode schema = node.path("jsonSchema");
        return new OutputFormat(node.path("type").asText(), schema.path("name").asText(null),
                schema.has("schema") ? schema.get("schema") : null);
    }

    static RecordedRun.Step step(Span span) {
        List<ChatMessage> messages = new ArrayList<>();
        if (Messages.isMessageList(span.input())) {
            for (Messages.Message m : Messages.view(span.input())) {
                List<ToolCall> calls = m.parts().stream().filter(Messages.Part::isToolCall)
                        .map(p -> new ToolCall(p.toolCallId(), p.toolName(), p.text())).toList();
                Messages.Part result = m.parts().stream().filter(Messages.Part::isToolResult).findFirst().orElse(null);
                String text = m.parts().stream().filter(p -> !p.isToolCall())
                        .map(Messages.Part::text).filter(t -> t != null && !t.isEmpty()).collect(Collectors.joining("\n"));
                messages.add(new ChatMessage(result != null ? "tool" : m.role(), text.isEmpty() ? null : text, calls,
                        result == null ? null : result.toolCallId(), null));
            }
        } else if (span.input() != null) {
            messages.add(ChatMessage.of("user", text(span.input())));
        }
        JsonNode p = span.params() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : span.params();
        List<String> stop = new ArrayList<>();
        p.path("stop_sequences").forEach(s -> stop.add(s.asText()));
        ModelConfig model = new ModelConfig(span.provider() == null ? "sim" : span.provider(),
                span.model() == null ? "sim-1" : span.model(), number(p, "temperature"),
                p.hasNonNull("max_tokens") ? p.get("max_tokens").asInt() : null, number(p, "top_p"), stop,
                p.hasNonNull("seed") ? p.get("seed").asInt() : null,
                p.has("response_format") ? Json.mapper().convertValue(p.get("response_format"), OutputFormat.class) : null);
        List<ToolDefinition> tools = new ArrayList<>();
        p.path("tools").forEach(t -> tools.add(Json.mapper().convertValue(t, ToolDefinition.class)));
        String output = null;
        List<ToolCall> toolCalls = new ArrayList<>();
        if (Messages.isMessageList(span.output())) {
            StringBuilder text = new StringBuilder();
            for (Messages.Message m : Messages.view(span.output())) {
                for (Messages.Part part : m.parts()) {
                    if (part.isToolCall()) {
                        toolCalls.add(new ToolCall(part.toolCallId(), part.toolName(), part.text()));
                    } else if (part.text() != null) {
                        text.append(part.text());
                    }
                }
            }
            output = text.toString();
        } else if (span.output() != null) {
            output = text(span.output());
        }
        return new RecordedRun.Step(messages, tools, model, output, toolCalls);
    }

    private static String recordedOutput(RecordedRun.Step step) {
        String text = PlaygroundService.comparable(step.output(), step.toolCalls());
        return text.isEmpty() ? null : text;
    }

    private static PromptRef prompt(Span span) {
        return span.promptName() == null ? null : new PromptRef(span.promptName(), span.promptVersion());
    }

    private static String toolName(Span span) {
        JsonNode attr = span.attributes() == null ? null : span.attributes().get("gen_ai.tool.name");
        if (attr != null && attr.isTextual()) {
            return attr.asText();
        }
        String name = span.name() == null ? "" : span.name();
        return name.startsWith("execute_tool ") ? name.substring("execute_tool ".length()) : name;
    }

    private static Double number(JsonNode params, String key) {
        return params.hasNonNull(key) && params.get(key).isNumber() ? params.get(key).asDouble() : null;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.asText() : node.toString();
    }

    private static List<Span> flat(TraceDetail trace) {
        List<Span> all = new ArrayList<>();
        trace.spans().forEach(s -> collect(s, all));
        return all;
    }

    private static void collect(Span span, List<Span> into) {
        into.add(span);
        span.children().forEach(c -> collect(c, into));
    }
}
