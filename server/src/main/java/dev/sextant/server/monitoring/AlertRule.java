package dev.sextant.server.monitoring;

import java.time.Instant;

/**
 * An alert: fires when {@code metric} over the last {@code windowMinutes} compares to {@code threshold}
 * (gt, gte, lt, lte), resolves when it no longer does; each change is sent to the webhook. The signing
 * secret is stored encrypted and never returned.
 */
public record AlertRule(String id, String name, Metric metric, String evaluator, String comparison, double threshold,
                        int windowMinutes, String webhookUrl, boolean firing, Double lastValue, Instant lastChecked,
                        Instant createdAt) {

    boolean breached(double value) {
        return switch (comparison) {
            case "gt" -> value > threshold;
            case "gte" -> value >= threshold;
            case "lt" -> value < threshold;
            case "lte" -> value <= threshold;
            default -> throw new IllegalStateException(comparison);
        };
    }
}
