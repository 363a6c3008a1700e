package dev.sextant.server.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One call of a run: a dataset item at one repetition, what the target answered, what it cost, and the
 * judgments of the experiment's evaluators.
 *
 * @param status {@code pending}, {@code output} (answered, evaluators not yet run) or {@code done}
 */
public record RunItem(String id, String itemId, int repetition, String status, String output, String traceId,
                      Long latencyMs, Integer inputTokens, Integer outputTokens, Double cost, String error,
                      boolean cached, List<ItemJudgment> judgments) {

    /** What one evaluator judged about this item. */
    public record ItemJudgment(String evaluator, Integer version, JsonNode value, Boolean passed, String reason,
                               String error, Double cost) {
    }

    RunItem withJudgments(List<ItemJudgment> value) {
        return new RunItem(id, itemId, repetition, status, output, traceId, latencyMs, inputTokens, outputTokens,
                cost, error, cached, value);
    }
}
