package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** The native ingestion batch of {@code POST /api/ingest}: traces and spans to create or update. */
public record IngestRequest(List<TraceIn> traces, List<SpanIn> spans) {

    /** Trace fields; omitted ones are left as they are. */
    public record TraceIn(String id, String name, String sessionId, String userId, List<String> tags,
                          JsonNode metadata, JsonNode input, JsonNode output) {
    }

    /** Span fields; omitted ones are left as they are, so a span may be sent in several parts. */
    public record SpanIn(String id, String traceId, String parentId, String kind, String name, JsonNode input,
                         JsonNode output, String model, String provider, JsonNode params, Usage usage, Double cost,
                         Instant startTime, Instant endTime, String status, String error, JsonNode attributes,
                         String promptName, Integer promptVersion) {
    }

    /** Token counts. */
    public record Usage(Long input, Long output, Long cached, Long reasoning) {
    }

    /** What was stored, and the items refused with their index and reason. */
    public record Result(int traces, int spans, List<Rejection> errors) {
    }

    public record Rejection(String item, int index, String message) {
    }
}
