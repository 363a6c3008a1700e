package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A stored span as returned by the API; {@code children} is filled when a trace's tree is built. */
public record Span(String id, String traceId, String parentId, String kind, String name, JsonNode input,
                   JsonNode output, String model, String provider, JsonNode params, Usage usage, Double cost,
                   Instant startTime, Instant endTime, Long latencyMs, String status, String error,
                   JsonNode attributes, String promptName, Integer promptVersion, List<Span> children) {

    /** Token counts; null when the span reported none. */
    public record Usage(Long input, Long output, Long cached, Long reasoning) {
        public boolean isEmpty() {
            return input == null && output == null && cached == null && reasoning == null;
        }
    }

    public Span withChildren() {
        return new Span(id, traceId, parentId, kind, name, input, output, model, provider, params, usage, cost,
                startTime, endTime, latencyMs, status, error, attributes, promptName, promptVersion, new ArrayList<>());
    }

    public boolean failed() {
        return "error".equals(status);
    }
}
