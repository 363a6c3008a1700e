package dev.sextant.server.traces;

import java.time.Instant;

/** Filters, sort and page of a trace list; null fields do not filter. */
public record TraceQuery(Instant from, Instant to, String name, String userId, String sessionId, String tag,
                         String status, Long minLatencyMs, Double minCost, String model, String promptName, String q,
                         Sort sort, String cursor, int limit) {

    public TraceQuery withCursor(String next) {
        return new TraceQuery(from, to, name, userId, sessionId, tag, status, minLatencyMs, minCost, model, promptName,
                q, sort, next, limit);
    }

    public enum Sort {
        TIME("start_time"), LATENCY("latency_ms"), COST("cost");

        final String column;

        Sort(String column) {
            this.column = column;
        }
    }
}
