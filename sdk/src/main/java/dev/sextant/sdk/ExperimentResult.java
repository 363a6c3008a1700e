package dev.sextant.sdk;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of an experiment run by {@link Experiments#run(ExperimentSpec)}: the run's scorecard
 * as the server computed it, and every item with its output and the evaluators' judgments.
 */
public record ExperimentResult(String experimentId, String runId, String name, String dataset, int datasetVersion,
                               String status, Scorecard scorecard, List<ItemResult> items) {

    public ExperimentResult {
        items = List.copyOf(items);
    }

    /** A criterion of the scorecard by evaluator name. */
    public Optional<Criterion> criterion(String evaluator) {
        return scorecard.criteria().stream().filter(c -> c.name().equals(evaluator)).findFirst();
    }

    /** Items with an error or a failed judgment. */
    public List<ItemResult> failures() {
        return items.stream().filter(i -> !i.passed()).toList();
    }

    /**
     * The run's aggregates.
     *
     * @param costUsd what the application reported its calls cost (null when nothing was reported)
     * @param evaluationCostUsd what LLM judges cost
     */
    public record Scorecard(int items, int done, int errors, Double costUsd, Double evaluationCostUsd,
                            Double latencyP50Ms, Double latencyP95Ms, List<Criterion> criteria) {
        public Scorecard {
            criteria = List.copyOf(criteria);
        }
    }

    /**
     * One evaluator's aggregate: a pass rate with a Wilson 95 % interval, or (for evaluators without a
     * pass/fail) a mean with a Student-t 95 % interval.
     *
     * @param kind   {@code pass_rate} or {@code mean}
     * @param n      judgments counted (evaluation errors excluded)
     * @param errors evaluations that failed (never counted as a pass or a fail)
     */
    public record Criterion(String name, String kind, Double estimate, Double low, Double high, int n, int errors) {
        public boolean isPassRate() {
            return "pass_rate".equals(kind);
        }

        /** The pass rate, or null for a mean criterion. */
        public Double passRate() {
            return isPassRate() ? estimate : null;
        }

        /** The mean, or null for a pass-rate criterion. */
        public Double mean() {
            return isPassRate() ? null : estimate;
        }
    }

    /** One item × repetition: what the application answered and what each evaluator judged. */
    public record ItemResult(DatasetItem item, int repetition, String output, String traceId, Long latencyMs,
                             String error, List<Judgment> judgments) {
        public ItemResult {
            judgments = List.copyOf(judgments);
        }

        /** No error, and no judgment failed or errored. */
        public boolean passed() {
            return error == null && judgments.stream().allMatch(j -> j.error() == null && !Boolean.FALSE.equals(j.passed()));
        }

        public Optional<Judgment> judgment(String evaluator) {
            return judgments.stream().filter(j -> j.evaluator().equals(evaluator)).findFirst();
        }
    }

    /**
     * What one evaluator judged.
     *
     * @param passed null when the evaluator has no pass rule or failed
     * @param error  why the evaluation itself failed, or null
     */
    public record Judgment(String evaluator, Integer version, Object value, Boolean passed, String reason,
                           String error) {
    }
}
