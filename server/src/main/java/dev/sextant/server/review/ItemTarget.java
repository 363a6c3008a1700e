package dev.sextant.server.review;

import dev.sextant.server.http.ApiException;

/**
 * What a review item points at: a trace ({@code id} is the trace id), a span ({@code id} in trace
 * {@code traceId}: a span id is unique only within its trace) or an experiment item (no trace).
 */
record ItemTarget(String id, String traceId) {
    static ItemTarget trace(String traceId) {
        return new ItemTarget(traceId, traceId);
    }

    static ItemTarget experimentItem(String itemId) {
        return new ItemTarget(itemId, null);
    }

    /** A span as the API and the queue page name it: {@code <traceId>:<spanId>}, as comments do. */
    static ItemTarget span(String traceAndSpan) {
        int colon = traceAndSpan.indexOf(':');
        if (colon <= 0 || colon == traceAndSpan.length() - 1) {
            throw ApiException.invalid("a span is named <traceId>:<spanId> (a span id is unique only within its "
                    + "trace), not '" + traceAndSpan + "'");
        }
        return new ItemTarget(traceAndSpan.substring(colon + 1), traceAndSpan.substring(0, colon));
    }

    /** How the API names this target in messages: the span form for spans. */
    String label() {
        return traceId == null || traceId.equals(id) ? id : traceId + ":" + id;
    }
}
