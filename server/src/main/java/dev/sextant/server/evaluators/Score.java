package dev.sextant.server.evaluators;

import java.time.Instant;

/**
 * A stored judgment about a trace, span or experiment item.
 *
 * @param evaluatorVersion null for external scores not tied to a saved version
 * @param value            null for an error judgment
 * @param passed           null when unknown (error, or no pass rule)
 * @param error            the error message of an error judgment
 */
public record Score(String id, TargetType targetType, String targetId, String evaluatorName,
                    Integer evaluatorVersion, JudgmentValue value, Boolean passed, String reason, String error,
                    ScoreSource source, String author, Double cost, Instant createdAt) {
}
