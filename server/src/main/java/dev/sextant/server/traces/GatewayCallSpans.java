package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.http.Json;
import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ChatRequest;
import dev.sextant.server.models.ChatResult;
import dev.sextant.server.models.GatewayCallRecorder;
import dev.sextant.server.models.ModelConfig;
import dev.sextant.server.models.ModelPricing;
import dev.sextant.server.models.RecordedCall;
import dev.sextant.server.models.ToolCall;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every model gateway call as an {@code llm} span: the exact messages (GenAI parts),
 * model, provider, parameters and tools, usage, cost, latency, error and prompt reference. A call
 * joins the trace its request names, else starts a trace named after the caller. Writes are queued
 * without waiting for the commit, and failures are only logged: tracing never fails or slows a call.
 */
public final class GatewayCallSpans implements GatewayCallRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayCallSpans.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String DEFAULT_TRACE_NAME = "model call";

    private final TraceService traces;

    public GatewayCallSpans(TraceService traces) {
        this.traces = traces;
    }

    /** Gateway prices from the traces table, with the project's overrides, so costs agree everywhere. */
    public static ModelPricing pricing(TraceService traces) {
        return (projectId, provider, model) -> traces.price(projectId, model)
                .map(p -> new ModelPricing.Price(p.inputPerMillion(), p.outputPerMillion()));
    }

    @Override
    public void record(String projectId, RecordedCall call) {
        try {
            String hex = call.id().replace("-", "").toLowerCase(Locale.ROOT);
            ChatRequest request = call.request();
            // A UUID (with dashes) is accepted as well as a hex trace id.
            String given = request.traceId() == null ? null : TraceService.hexId(request.traceId().replace("-", ""));
            String traceId = given != null ? given : hex;
            boolean named = given == null || request.traceName() != null;
            List<TracePatch> patches = !named ? List.of() : List.of(new TracePatch(traceId,
                    request.traceName() == null ? DEFAULT_TRACE_NAME : request.traceName(), null, null, null, null,
                    null, null, TracePatch.NAME));
            submit(projectId, List.of(span(hex.substring(16), traceId, call)), patches, "gateway call " + call.id());
        } catch (RuntimeException e) {
            LOG.warn("recording gateway call {} failed: {}", call.id(), e.toString());
        }
    }

    /**
     * Queues spans (and trace facts) to the trace writer without waiting for the commit; a failure
     * is only logged, naming {@code what} wrote them: tracing never fails the caller.
     */
    public void submit(String projectId, List<SpanRecord> spans, List<TracePatch> patches, String what) {
        try {
            traces.submit(projectId, spans, patches).whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.warn("storing the spans of {} failed: {}", what, error.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("queueing the spans of {} failed: {}", what, e.toString());
        }
    }

    static SpanRecord span(String spanId, String traceId, RecordedCall call) {
        ChatRequest request = call.request();
        ChatResult result = call.result();
        Long input = result == null ? null : (long) call.usage().inputTokens();
        Long output = result == null ? null : (long) call.usage().outputTokens();
        ObjectNode attributes = NODES.objectNode().put("sextant.gateway.attempts", call.attempts())
                .put("sextant.gateway.streamed", call.streamed());
        if (request.traceName() != null) {
            attributes.put("sextant.gateway.caller", request.traceName());
        }
        String parent = request.parentSpanId() == null ? null : TraceService.hexId(request.parentSpanId());
        return new SpanRecord(spanId, traceId, parent, SpanKind.LLM.id(), "chat " + call.model(),
                input(request.messages()).toString(), result == null ? null : output(result).toString(), call.model(),
                call.provider(), params(request).toString(), input, output, null, null, call.costUsd(),
                call.startedAt(), call.startedAt().plusMillis(call.latencyMs()), call.error() == null ? "ok" : "error",
                call.error(), attributes.toString(), request.prompt() == null ? null : request.prompt().name(),
                request.prompt() == null ? null : request.prompt().version());
    }

    /** Messages in the stored GenAI shape: {@code {"role", "parts": [...]}}. */
    public static ArrayNode input(List<ChatMessage> messages) {
        ArrayNode list = NODES.arrayNode();
        for (ChatMessage m : messages) {
            ObjectNode message = list.addObject().put("role", m.role());
            ArrayNode parts = message.putArray("parts");
            if (m.toolCallId() != null) {
                parts.addObject().put("type", "tool_call_response").put("id", m.toolCallId())
                        .put("response", m.content());
                if (m.name() != null) {
                    message.put("name", m.name());
                }
                continue;
            }
            if (m.content() != null && !m.content().isEmpty()) {
                parts.addObject().put("type", "text").put("content", m.content());
            }
            toolCalls(parts, m.toolCalls());
        }
        return list;
    }

    /** A model's answer in the stored GenAI shape: one assistant message. */
    public static ArrayNode output(ChatResult result) {
        ArrayNode list = NODES.arrayNode();
        ObjectNode message = list.addObject().put("role", "assistant");
        ArrayNode parts = message.putArray("parts");
        if (result.text() != null && !result.text().isEmpty()) {
            parts.addObject().put("type", "text").put("content", result.text());
        }
        toolCalls(parts, result.toolCalls());
        if (result.finishReason() != null) {
            message.put("finish_reason", result.finishReason());
        }
        return list;
    }

    private static void toolCalls(ArrayNode parts, List<ToolCall> calls) {
        for (ToolCall call : calls) {
            parts.addObject().put("type", "tool_call").put("id", call.id()).put("name", call.name())
                    .put("arguments", call.arguments());
        }
    }

    /** Request parameters under their GenAI names, plus the tool definitions offered to the model. */
    private static ObjectNode params(ChatRequest request) {
        ObjectNode params = NODES.objectNode();
        ModelConfig m = request.model();
        if (m != null) {
            putIfSet(params, "temperature", m.temperature());
            putIfSet(params, "max_tokens", m.maxTokens());
            putIfSet(params, "top_p", m.topP());
            putIfSet(params, "seed", m.seed());
            if (!m.stop().isEmpty()) {
                params.set("stop_sequences", Json.mapper().valueToTree(m.stop()));
            }
            if (m.responseFormat() != null) {
                params.set("response_format", Json.mapper().valueToTree(m.responseFormat()));
            }
        }
        if (!request.tools().isEmpty()) {
            params.set("tools", Json.mapper().valueToTree(request.tools()));
        }
        return params;
    }

    private static void putIfSet(ObjectNode node, String key, Number value) {
        if (value != null) {
            node.set(key, Json.mapper().valueToTree(value));
        }
    }
}
