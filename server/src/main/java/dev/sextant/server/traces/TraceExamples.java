package dev.sextant.server.traces;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.datasets.Dataset;
import dev.sextant.server.datasets.DatasetItem;
import dev.sextant.server.datasets.DatasetService;
import dev.sextant.server.evaluators.EvalInput;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.projects.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Evaluator examples from logged data: a span (or a trace's root) gives the output, input
 * variables, retrieved context (the trace's retrieval spans), tool calls, latency, cost and tokens;
 * a dataset item adds its expected output to the example of the span it was promoted from.
 */
public final class TraceExamples {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final TraceService traces;
    private final DatasetService datasets;

    public TraceExamples(TraceService traces, DatasetService datasets) {
        this.traces = traces;
        this.datasets = datasets;
    }

    public EvalInput fromSpan(String projectId, String traceId, String spanId) {
        TraceDetail detail = traces.trace(projectId, traceId).orElseThrow(() -> ApiException.notFound("trace " + traceId));
        List<Span> flat = new ArrayList<>();
        detail.spans().forEach(s -> flatten(s, flat));
        Span span = spanId == null || spanId.isBlank()
                ? (flat.isEmpty() ? null : flat.getFirst())
                : flat.stream().filter(s -> s.id().equals(spanId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("span " + spanId + " of trace " + traceId));
        if (span == null) {
            throw ApiException.invalid("trace " + traceId + " has no spans yet");
        }
        TraceDatasets.Draft draft = TraceDatasets.draftOf(traceId, span.id(), span.input(), span.output(),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        JsonNode expected = TraceDatasets.expected(span.output());
        String context = flat.stream().filter(s -> SpanKind.RETRIEVAL.id().equals(s.kind()) && s.output() != null)
                .map(s -> Messages.text(s.output())).collect(Collectors.joining("\n\n"));
        List<EvalInput.ToolCall> toolCalls = new ArrayList<>();
        for (Messages.Message m : Messages.view(span.output())) {
            m.parts().stream().filter(Messages.Part::isToolCall)
                    .forEach(p -> toolCalls.add(new EvalInput.ToolCall(p.toolName(), arguments(p.text()))));
        }
        Long tokens = span.usage() == null || (span.usage().input() == null && span.usage().output() == null) ? null
                : (span.usage().input() == null ? 0 : span.usage().input())
                + (span.usage().output() == null ? 0 : span.usage().output());
        return new EvalInput(expected == null ? null : Messages.text(expected), null,
                Json.mapper().convertValue(draft.input(), MAP), context.isEmpty() ? null : context,
                span.model() == null ? null : Map.of("model", span.model()), span.latencyMs(), span.cost(), tokens,
                toolCalls.isEmpty() ? null : toolCalls);
    }

    /** A dataset item: its input and expected output, with the output of the span it came from. */
    public EvalInput fromItem(Project project, String datasetName, String itemId) {
        Dataset dataset = datasets.get(project, datasetName);
        DatasetItem item = datasets.item(dataset, itemId, datasets.resolveVersion(dataset, null));
        EvalInput base = item.sourceTraceId() == null ? EvalInput.ofOutput(null)
                : fromSpan(project.id(), item.sourceTraceId(), item.sourceSpanId());
        return new EvalInput(base.output(), item.expectedOutput() == null ? null : Messages.text(item.expectedOutput()),
                item.input().isEmpty() ? base.input() : Json.mapper().convertValue(item.input(), MAP), base.context(),
                base.metadata(), base.latencyMs(), base.cost(), base.tokens(), base.toolCalls());
    }

    private static void flatten(Span span, List<Span> into) {
        into.add(span);
        span.children().forEach(c -> flatten(c, into));
    }

    private static JsonNode arguments(String text) {
        try {
            return Json.mapper().readTree(text == null || text.isBlank() ? "{}" : text);
        } catch (JsonProcessingException e) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
        }
    }
}
