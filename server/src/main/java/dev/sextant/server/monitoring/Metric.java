package dev.sextant.server.monitoring;

import dev.sextant.server.http.ApiException;
import java.util.Arrays;
import java.util.Locale;

/** The metrics of dashboards, the metrics API and alerts. */
public enum Metric {
    TRACES("traces", "Traces", ""),
    SPANS("spans", "Spans", ""),
    ERRORS("errors", "Errors", ""),
    ERROR_RATE("error_rate", "Error rate", ""),
    LATENCY_P50("latency_p50", "Latency p50", " ms"),
    LATENCY_P95("latency_p95", "Latency p95", " ms"),
    LATENCY_P99("latency_p99", "Latency p99", " ms"),
    TOKENS("tokens", "Tokens", ""),
    COST("cost", "Cost", " $"),
    SCORE_MEAN("score_mean", "Score mean", ""),
    PASS_RATE("pass_rate", "Pass rate", ""),
    VOTE_RATIO("vote_ratio", "Vote ratio (up)", ""),
    NEGATIVE_FEEDBACK_RATE("negative_feedback_rate", "Negative feedback rate", ""),
    ACTIONS("actions", "End-user actions", "");

    private final String id;
    private final String label;
    private final String unit;

    Metric(String id, String label, String unit) {
        this.id = id;
        this.label = label;
        this.unit = unit;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public boolean isPercentile() {
        return this == LATENCY_P50 || this == LATENCY_P95 || this == LATENCY_P99;
    }

    public double quantile() {
        return switch (this) {
            case LATENCY_P50 -> 0.5;
            case LATENCY_P95 -> 0.95;
            case LATENCY_P99 -> 0.99;
            default -> throw new IllegalStateException(id);
        };
    }

    public boolean isScore() {
        return this == SCORE_MEAN || this == PASS_RATE;
    }

    public boolean isFeedback() {
        return this == VOTE_RATIO || this == NEGATIVE_FEEDBACK_RATE || this == ACTIONS;
    }

    public static Metric parse(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.id.equals(wanted)).findFirst()
                .orElseThrow(() -> ApiException.invalid("metric must be one of "
                        + Arrays.stream(values()).map(Metric::id).toList()));
    }
}
