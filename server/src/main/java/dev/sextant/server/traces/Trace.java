package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** A trace with its rolled-up totals, as returned by the API. */
public record Trace(String id, String name, String sessionId, String userId, List<String> tags, JsonNode metadata,
                    JsonNode input, JsonNode output, Instant startTime, Instant endTime, long latencyMs,
                    String status, int spanCount, int errorCount, long inputTokens, long outputTokens,
                    long totalTokens, double cost) {
}
