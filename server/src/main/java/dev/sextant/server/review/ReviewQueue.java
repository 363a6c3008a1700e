package dev.sextant.server.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A queue of targets that people judge with one or more human evaluators.
 *
 * @param sampling null when the queue is filled only by hand
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReviewQueue(String id, String name, String instructions, List<QueueEvaluator> evaluators,
                          int reviewersPerItem, int lockSeconds, Sampling sampling, String createdBy,
                          Instant createdAt) {

    /**
     * A human evaluator reviewers fill in.
     *
     * @param calibrates the LLM or code evaluator whose verdicts this human evaluator's verdicts are
     *                   ground truth for (judge calibration), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueEvaluator(String name, String calibrates) {
    }

    /** Adds {@code rate} of the new traces (named {@code traceName}, or any name) to the queue. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sampling(String traceName, double rate) {
    }
}
