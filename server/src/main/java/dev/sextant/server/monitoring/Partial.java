package dev.sextant.server.monitoring;

/**
 * Additive aggregates of trace or LLM-span rows in one time bucket and group: what an hourly rollup
 * stores and what a query merges from rollups and raw rows before computing metric values.
 */
final class Partial {
    long rows;
    long traces;
    long spans;
    long errors;
    long tokens;
    double cost;
    final LatencyHistogram latency = new LatencyHistogram();

    void add(Partial other) {
        rows += other.rows;
        traces += other.traces;
        spans += other.spans;
        errors += other.errors;
        tokens += other.tokens;
        cost += other.cost;
        latency.merge(other.latency);
    }

    /** The metric's value; null when the rows it needs are absent (no latencies). */
    Double value(Metric metric) {
        return switch (metric) {
            case TRACES -> (double) traces;
            case SPANS -> (double) spans;
            case ERRORS -> (double) errors;
            case ERROR_RATE -> rows == 0 ? null : errors / (double) rows;
            case TOKENS -> (double) tokens;
            case COST -> cost;
            case LATENCY_P50, LATENCY_P95, LATENCY_P99 -> latency.quantile(metric.quantile());
            default -> throw new IllegalArgumentException(metric.id() + " is not a trace or span metric");
        };
    }

    /** How many rows the value aggregates (percentiles: rows with a latency). */
    long count(Metric metric) {
        return metric.isPercentile() ? latency.total() : rows;
    }
}
