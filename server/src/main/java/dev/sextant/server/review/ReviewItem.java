package dev.sextant.server.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sextant.server.evaluators.TargetType;
import java.time.Instant;

/**
 * One target in a queue; done once it has the queue's number of reviews. {@code traceId} is the trace
 * of a trace or span target (a span id is unique only within its trace), null for experiment items.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReviewItem(String id, String queueId, TargetType targetType, String targetId, String traceId,
                         int reviews, boolean done, String lockedBy, Instant lockedUntil, Instant addedAt) {
}
