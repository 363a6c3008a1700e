package dev.sextant.server.review;

import dev.sextant.server.http.ApiException;
import dev.sextant.server.traces.TraceQuery;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/** "All traces matching a filter": the filters of {@code GET /api/traces}, given as a map. */
final class TraceFilter {
    static final Set<String> KEYS = Set.of("from", "to", "name", "userId", "sessionId", "tag", "status",
            "minLatencyMs", "minCost", "model", "promptName", "q");

    private TraceFilter() {
    }

    static TraceQuery query(Map<String, String> filter, String cursor, int limit) {
        for (String key : filter.keySet()) {
            if (!KEYS.contains(key)) {
                throw ApiException.invalid("filter." + key + " is not a trace filter (use " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        String status = text(filter, "status");
        if (status != null && !status.equals("ok") && !status.equals("error")) {
            throw ApiException.invalid("filter.status must be ok or error");
        }
        try {
            Long minLatency = text(filter, "minLatencyMs") == null ? null : Long.valueOf(text(filter, "minLatencyMs"));
            Double minCost = text(filter, "minCost") == null ? null : Double.valueOf(text(filter, "minCost"));
            return new TraceQuery(time(filter, "from"), time(filter, "to"), text(filter, "name"),
                    text(filter, "userId"), text(filter, "sessionId"), text(filter, "tag"), status, minLatency,
                    minCost, text(filter, "model"), text(filter, "promptName"), text(filter, "q"),
                    TraceQuery.Sort.TIME, cursor, limit);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("filter.minLatencyMs and filter.minCost must be numbers");
        }
    }

    private static String text(Map<String, String> filter, String key) {
        String value = filter.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant time(Map<String, String> filter, String key) {
        String value = text(filter, key);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("filter." + key + " must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
        }
    }
}
