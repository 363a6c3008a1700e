package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.datasets.DatasetService;
import dev.sextant.server.datasets.FieldMapping;
import dev.sextant.server.datasets.LoggedExample;
import dev.sextant.server.datasets.VersionChange;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.projects.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Promotes logged traces and spans into datasets: one span (or trace) with its expected output
 * possibly corrected by a person, or every trace matching the list filters through a field mapping.
 */
public final class TraceDatasets {
    /** At most this many traces are promoted by one bulk request. */
    public static final int MAX_BULK = 1_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final TraceService traces;
    private final DatasetService datasets;

    public TraceDatasets(TraceService traces, DatasetService datasets) {
        this.traces = traces;
        this.datasets = datasets;
    }

    /**
     * An item as it would be added: input variables, chat history and expected output read from
     * the span (or the trace when {@code spanId} is null).
     */
    public record Draft(String traceId, String spanId, ObjectNode input, ArrayNode messages, JsonNode expectedOutput,
                        ObjectNode metadata) {
    }

    /** One span or trace to add; {@code input}, {@code expectedOutput} and {@code metadata} replace the drafted ones. */
    public record One(String dataset, String spanId, JsonNode input, JsonNode expectedOutput, JsonNode metadata,
                      Boolean create) {
    }

    /** Bulk promotion: the mapping picks item fields from each trace record (see {@link #record(Trace)}). */
    public record Many(String dataset, Map<String, String> mapping, Boolean create) {
    }

    /** The default bulk mapping: trace input as the {@code input} variable, trace output as expected. */
    public static final Map<String, String> DEFAULT_MAPPING = defaultMapping();

    private static Map<String, String> defaultMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input.input", "input");
        m.put("expected", "output");
        m.put("sourceTraceId", "traceId");
        return m;
    }

    public Draft draft(String projectId, String traceId, String spanId) {
        TraceDetail detail = traces.trace(projectId, traceId)
                .orElseThrow(() -> ApiException.notFound("trace " + traceId));
        ObjectNode metadata = NODES.objectNode().put("source", "trace");
        if (detail.trace().name() != null) {
            metadata.put("traceName", detail.trace().name());
        }
        if (spanId == null || spanId.isBlank()) {
            return draftOf(traceId, null, detail.trace().input(), detail.trace().output(), metadata);
        }
        Span span = traces.span(projectId, traceId, spanId)
                .orElseThrow(() -> ApiException.notFound("span " + spanId + " of trace " + traceId));
        if (span.model() != null) {
            metadata.put("model", span.model());
        }
        return draftOf(traceId, span.id(), span.input(), span.output(), metadata);
    }

    static Draft draftOf(String traceId, String spanId, JsonNode input, JsonNode output, ObjectNode metadata) {
        ObjectNode variables = NODES.objectNode();
        ArrayNode messages = null;
        if (Messages.isMessageList(input)) {
            messages = chat(input);
            String lastUser = null;
            for (Messages.Message m : Messages.view(input)) {
                if (m.role().equals("user")) {
                    lastUser = text(m);
                }
            }
            if (lastUser != null) {
                variables.put("input", lastUser);
            }
        } else if (input != null && input.isObject()) {
            variables.setAll((ObjectNode) input);
        } else if (input != null && !input.isNull()) {
            variables.set("input", input.isTextual() ? input : NODES.textNode(input.toString()));
        }
        return new Draft(traceId, spanId, variables, messages, expected(output), metadata);
    }

    /** The answer text of an output: the assistant's text, a plain value as is. */
    static JsonNode expected(JsonNode output) {
        if (!Messages.isMessageList(output)) {
            return output;
        }
        String text = Messages.view(output).stream().map(TraceDatasets::text).filter(t -> !t.isEmpty())
                .collect(Collectors.joining("\n"));
        return text.isEmpty() ? output : NODES.textNode(text);
    }

    /** Logged messages as dataset chat history: {@code {"role", "content"}}. */
    private static ArrayNode chat(JsonNode messages) {
        ArrayNode list = NODES.arrayNode();
        for (Messages.Message m : Messages.view(messages)) {
            list.addObject().put("role", m.role()).put("content", text(m));
        }
        return list;
    }

    private static String text(Messages.Message m) {
        return m.parts().stream().filter(p -> !p.isToolCall()).map(Messages.Part::text)
                .filter(t -> t != null && !t.isEmpty()).collect(Collectors.joining("\n"));
    }

    public VersionChange addOne(Project project, Principal actor, String traceId, One request) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body is required");
        }
        Draft draft = draft(project.id(), traceId, request.spanId());
        ObjectNode input = request.input() == null ? draft.input() : object(request.input(), "input");
        JsonNode expected = request.expectedOutput() == null ? draft.expectedOutput() : request.expectedOutput();
        ObjectNode metadata = draft.metadata().deepCopy();
        if (request.metadata() != null) {
            metadata.setAll(object(request.metadata(), "metadata"));
        }
        if (request.expectedOutput() != null && !request.expectedOutput().equals(draft.expectedOutput())) {
            metadata.put("corrected", true);
        }
        String dataset = ensure(project, actor, request.dataset(), request.create());
        String how = (draft.spanId() == null ? "trace " : "span ") + (draft.spanId() == null ? traceId : draft.spanId())
                + (metadata.path("corrected").asBoolean() ? "; expected output corrected" : "");
        return datasets.addFromLogs(project, dataset, List.of(new LoggedExample(traceId, draft.spanId(), input,
                draft.messages(), expected, metadata)), how, actor);
    }

    public VersionChange addMany(Project project, Principal actor, TraceQuery query, Many request) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body is required");
        }
        FieldMapping mapping = FieldMapping.of(request.mapping() == null || request.mapping().isEmpty()
                ? DEFAULT_MAPPING : request.mapping());
        List<JsonNode> records = new ArrayList<>();
        TraceQuery page = query;
        while (records.size() < MAX_BULK) {
            PageOf<Trace> found = traces.traces(project.id(), page);
            found.data().stream().limit(MAX_BULK - records.size()).forEach(t -> records.add(record(t)));
            if (found.nextCursor() == null) {
                break;
            }
            page = page.withCursor(found.nextCursor());
        }
        if (records.isEmpty()) {
            throw ApiException.invalid("no trace matches these filters");
        }
        String dataset = ensure(project, actor, request.dataset(), request.create());
        return datasets.addFromLogs(project, dataset, records, mapping, actor);
    }

    /** A trace as a record for field mappings: {@code traceId, name, input, output, metadata, userId, sessionId, tags}. */
    static ObjectNode record(Trace t) {
        ObjectNode r = NODES.objectNode().put("traceId", t.id()).put("name", t.name()).put("userId", t.userId())
                .put("sessionId", t.sessionId());
        r.set("input", plain(t.input()));
        r.set("output", expected(t.output()));
        r.set("metadata", t.metadata());
        r.set("tags", dev.sextant.server.http.Json.mapper().valueToTree(t.tags()));
        return r;
    }

    /** A message-list input reduced to its last user text, so mappings can take it as a variable. */
    private static JsonNode plain(JsonNode input) {
        if (!Messages.isMessageList(input)) {
            return input;
        }
        Draft d = draftOf(null, null, input, null, NODES.objectNode());
        return d.input().has("input") ? d.input().get("input") : input;
    }

    private String ensure(Project project, Principal actor, String dataset, Boolean create) {
        if (dataset == null || dataset.isBlank()) {
            throw ApiException.invalid("dataset is required");
        }
        String name = dataset.trim();
        if (Boolean.TRUE.equals(create)) {
            try {
                datasets.get(project, name);
            } catch (ApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
                datasets.create(project, name, "Examples promoted from traces", List.of(), actor);
            }
        }
        return name;
    }

    private static ObjectNode object(JsonNode node, String field) {
        if (!node.isObject()) {
            throw ApiException.invalid(field + " must be a JSON object");
        }
        return (ObjectNode) node;
    }
}
