package dev.sextant.server.feedback;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One piece of feedback as sent by an application.
 *
 * @param value  vote: "up" or "down"; rating: a number
 * @param scale  rating: the top of the scale (default 5)
 * @param action copy, accept, edit, regenerate, share, or custom with {@code name}
 * @param text   correction: the edited text; comment: the comment
 */
public record FeedbackInput(String traceId, String spanId, String kind, JsonNode value, Double scale, String action,
                            String name, String text, Integer delaySeconds, Boolean present, Double fractionKept,
                            String endUserId) {
}
