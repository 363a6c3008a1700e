package dev.sextant.server.traces;

import java.util.List;

/** What a trace row sums up from its spans: counts, tokens, cost, time span and the root span. */
record TraceRollup(long spans, long errors, long inputTokens, long outputTokens, double cost, Long start, Long end,
                   Root root) {
    static final TraceRollup EMPTY = new TraceRollup(0, 0, 0, 0, 0.0, null, null, null);

    /** The root span's facts a trace falls back on; {@code start} picks the earliest of several roots. */
    record Root(String name, String input, String output, Long start) {
        static final Root NONE = new Root(null, null, null, null);

        long sortKey() {
            return start == null ? Long.MAX_VALUE : start;
        }
    }

    /** The rollup of spans that are all of one new trace, with the same rules as the SQL rollup. */
    static TraceRollup of(List<SpanRecord> spans) {
        long errors = 0;
        long input = 0;
        long output = 0;
        double cost = 0;
        Long start = null;
        Long end = null;
        Root root = null;
        for (SpanRecord span : spans) {
            Long spanStart = span.startTime() == null ? null : span.startTime().toEpochMilli();
            Long spanEnd = span.endTime() == null ? null : span.endTime().toEpochMilli();
            errors += "error".equals(span.status()) ? 1 : 0;
            input += span.inputTokens() == null ? 0 : span.inputTokens();
            output += span.outputTokens() == null ? 0 : span.outputTokens();
            cost += span.cost() == null ? 0 : span.cost();
            start = min(start, spanStart != null ? spanStart : spanEnd);
            end = max(end, spanEnd != null ? spanEnd : spanStart);
            if (span.parentId() == null) {
                Root candidate = new Root(span.name(), span.input(), span.output(), spanStart);
                root = root == null || candidate.sortKey() < root.sortKey() ? candidate : root;
            }
        }
        return new TraceRollup(spans.size(), errors, input, output, cost, start, end, root);
    }

    TraceRollup withEarlierRoot(Root candidate) {
        Root earlier = root == null || candidate.sortKey() < root.sortKey() ? candidate : root;
        return new TraceRollup(spans, errors, inputTokens, outputTokens, cost, start, end, earlier);
    }

    Long latencyMillis() {
        return start == null || end == null ? 0L : Math.max(0L, end - start);
    }

    private static Long min(Long a, Long b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Long.valueOf(Math.min(a, b));
    }

    private static Long max(Long a, Long b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Long.valueOf(Math.max(a, b));
    }
}
