package dev.sextant.server.traces;

import java.time.Instant;

/** Filters and page of a span list; null fields do not filter. */
public record SpanQuery(String traceId, String kind, String model, String name, String promptName, String status,
                        Instant from, Instant to, String cursor, int limit) {
}
