package dev.sextant.server.monitoring;

import java.time.Instant;

/**
 * An online evaluation rule: evaluator {@code evaluatorName} applied to a {@code samplingRate} share of
 * new spans or traces matching {@code filter}; LLM judge spending capped at {@code dailyBudget} (USD per
 * UTC day) when set.
 *
 * @param target "span" or "trace"
 */
public record OnlineRule(String id, String name, String evaluatorName, String target, RuleFilter filter,
                         double samplingRate, Double dailyBudget, boolean paused, Instant createdAt,
                         Instant updatedAt) {
}
