package dev.sextant.server.feedback;

import java.time.Instant;

/**
 * One piece of end-user feedback on a trace (and optionally one of its spans). Which fields are set
 * depends on the kind; prompt and model are copied from the target when the feedback is written.
 *
 * @param vote 1 for up, -1 for down
 * @param text a correction's edited text or a comment
 * @param diff a correction's unified diff against the target's output
 */
public record Feedback(String id, String traceId, String spanId, FeedbackKind kind, Integer vote, Double rating,
                       Double scale, String action, String text, String diff, Integer delaySeconds, Boolean present,
                       Double fractionKept, String endUserId, String promptName, Integer promptVersion,
                       String model, Instant createdAt) {
}
