package dev.sextant.server.traces;

import java.time.Instant;

/**
 * A span as written: every field but the ids may be null, meaning "unknown in this delivery";
 * the store merges deliveries so that later non-null values win and nulls never erase.
 * JSON-valued fields ({@code input}, {@code output}, {@code params}, {@code attributes}) hold JSON text.
 */
public record SpanRecord(String id, String traceId, String parentId, String kind, String name, String input,
                         String output, String model, String provider, String params, Long inputTokens,
                         Long outputTokens, Long cachedTokens, Long reasoningTokens, Double cost, Instant startTime,
                         Instant endTime, String status, String error, String attributes, String promptName,
                         Integer promptVersion) {

    public SpanRecord withCost(Double newCost) {
        return new SpanRecord(id, traceId, parentId, kind, name, input, output, model, provider, params, inputTokens,
                outputTokens, cachedTokens, reasoningTokens, newCost, startTime, endTime, status, error, attributes,
                promptName, promptVersion);
    }
}
