package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.sextant.server.http.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Turns an OTLP export request into spans and trace facts, applying {@link AttributeRules}. */
final class OtlpMapper {
    private static final HexFormat HEX = HexFormat.of();
    /** Deeper attribute values are kept as a marker: nesting has no meaning for us past this. */
    private static final int MAX_VALUE_DEPTH = 16;

    private final FieldCap cap;

    OtlpMapper(FieldCap cap) {
        this.cap = cap;
    }

    /** The mapped spans and trace facts, and what was rejected (with the first reason). */
    record Result(List<SpanRecord> spans, List<TracePatch> traces, int rejected, String rejectReason) {
    }

    Result map(ExportTraceServiceRequest request) {
        List<SpanRecord> spans = new ArrayList<>();
        List<TracePatch> traces = new ArrayList<>();
        int rejected = 0;
        String reason = null;
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Map<String, Object> resource = attributes(rs.getResource());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
                    String problem = validate(span);
                    if (problem != null) {
                        rejected++;
                        reason = reason == null ? problem : reason;
                        continue;
                    }
                    map(span, resource, ss.getScope().getName(), spans, traces);
                }
            }
        }
        return new Result(spans, traces, rejected, reason);
    }

    private static String validate(io.opentelemetry.proto.trace.v1.Span span) {
        if (span.getTraceId().size() != 16 || isZero(span.getTraceId())) {
            return "span '" + span.getName() + "': trace_id must be 16 bytes and not all zero";
        }
        if (span.getSpanId().size() != 8 || isZero(span.getSpanId())) {
            return "span '" + span.getName() + "': span_id must be 8 bytes and not all zero";
        }
        if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != 8) {
            return "span '" + span.getName() + "': parent_span_id must be empty or 8 bytes";
        }
        return null;
    }

    private static boolean isZero(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) {
            if (bytes.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private void map(io.opentelemetry.proto.trace.v1.Span span, Map<String, Object> resource, String scope,
                     List<SpanRecord> spans, List<TracePatch> traces) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (KeyValue kv : span.getAttributesList()) {
            attributes.put(kv.getKey(), value(kv.getValue(), 0));
        }
        SpanDraft draft = new SpanDraft();
        AttributeRules.apply(attributes, draft);
        List<Map<String, Object>> events = new ArrayList<>();
        String exception = null;
        for (io.opentelemetry.proto.trace.v1.Span.Event event : span.getEventsList()) {
            Map<String, Object> eventAttributes = new LinkedHashMap<>();
            for (KeyValue kv : event.getAttributesList()) {
                eventAttributes.put(kv.getKey(), value(kv.getValue(), 0));
            }
            if (event.getName().equals("exception")) {
                exception = AttributeRules.text(eventAttributes.getOrDefault("exception.type", "exception"))
                        + (eventAttributes.containsKey("exception.message")
                        ? ": " + AttributeRules.text(eventAttributes.get("exception.message")) : "");
            }
            if (event.getName().startsWith("gen_ai.")) {
                // GenAI puts messages on events such as gen_ai.client.inference.operation.details.
                AttributeRules.apply(eventAttributes, draft);
                eventAttributes.keySet().removeAll(draft.consumed);
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", event.getName());
            e.put("time", nanos(event.getTimeUnixNano()));
            e.put("attributes", eventAttributes);
            events.add(e);
        }
        boolean failed = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        String error = null;
        if (failed || draft.error != null || exception != null) {
            failed = true;
            String message = span.getStatus().getMessage();
            error = !message.isBlank() ? message : exception != null ? exception : draft.error;
        }
        attributes.keySet().removeAll(draft.consumed);
        if (resource.containsKey("service.name")) {
            attributes.putIfAbsent("service.name", resource.get("service.name"));
        }
        if (!scope.isEmpty()) {
            attributes.put("otel.scope.name", scope);
        }
        if (!events.isEmpty()) {
            attributes.put("otel.events", events);
        }
        JsonNode input = draft.input();
        JsonNode output = draft.output();
        SpanKind kind = draft.kind != null ? draft.kind
                : draft.model != null || draft.inputTokens != null || Messages.isMessageList(input) ? SpanKind.LLM
                : SpanKind.OTHER;
        String traceId = HEX.formatHex(span.getTraceId().toByteArray());
        spans.add(new SpanRecord(HEX.formatHex(span.getSpanId().toByteArray()), traceId,
                span.getParentSpanId().isEmpty() ? null : HEX.formatHex(span.getParentSpanId().toByteArray()),
                kind.id(), cap.text(span.getName()), write(input), write(output), draft.model, draft.provider,
                draft.params.isEmpty() ? null : draft.params.toString(), draft.inputTokens, draft.outputTokens,
                draft.cachedTokens, draft.reasoningTokens, draft.cost, nanos(span.getStartTimeUnixNano()),
                nanos(span.getEndTimeUnixNano()), failed ? "error" : "ok", cap.text(error),
                attributes.isEmpty() ? null : Json.write(attributes), draft.promptName, draft.promptVersion));
        if (draft.traceName != null || draft.sessionId != null || draft.userId != null || draft.tags != null
                || draft.metadata != null) {
            traces.add(new TracePatch(traceId, draft.traceName, draft.sessionId, draft.userId,
                    draft.tags == null ? null : Json.write(new LinkedHashSet<>(draft.tags)),
                    draft.metadata == null ? null : draft.metadata.toString(), null, null,
                    draft.traceName != null ? TracePatch.NAME : 0));
        }
    }

    private static String write(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }

    private static Instant nanos(long unixNanos) {
        return unixNanos <= 0 ? null : Instant.ofEpochMilli(unixNanos / 1_000_000);
    }

    private Map<String, Object> attributes(Resource resource) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (KeyValue kv : resource.getAttributesList()) {
            map.put(kv.getKey(), value(kv.getValue(), 0));
        }
        return map;
    }

    /** An attribute value as plain Java, with every string capped. */
    private Object value(AnyValue v, int depth) {
        if (depth > MAX_VALUE_DEPTH) {
            return "…[nested too deeply]";
        }
        return switch (v.getValueCase()) {
            case STRING_VALUE -> cap.text(v.getStringValue());
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue()) ? v.getDoubleValue() : String.valueOf(v.getDoubleValue());
            case BYTES_VALUE -> cap.text(java.util.Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                List<Object> list = new ArrayList<>();
                v.getArrayValue().getValuesList().forEach(e -> list.add(value(e, depth + 1)));
                yield list;
            }
            case KVLIST_VALUE -> {
                Map<String, Object> map = new LinkedHashMap<>();
                v.getKvlistValue().getValuesList().forEach(kv -> map.put(kv.getKey(), value(kv.getValue(), depth + 1)));
                yield map;
            }
            default -> null;
        };
    }
}
