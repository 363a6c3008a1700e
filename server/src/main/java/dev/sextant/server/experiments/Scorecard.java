package dev.sextant.server.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's scorecard: per criterion a pass rate (Wilson 95 % interval) or a mean (t 95 % interval), and
 * with repetitions the mean per-item variance and pass@k; cost, tokens, latency percentiles and errors.
 *
 * @param costUsd        what the target's model calls cost (null when no call had a known price)
 * @param evaluationCostUsd what LLM judges cost
 */
public record Scorecard(String runId, String label, int items, int done, int errors, Double costUsd,
                        Double costPerItemUsd, Double evaluationCostUsd, long inputTokens, long outputTokens,
                        Double latencyP50Ms, Double latencyP95Ms, List<Criterion> criteria) {

    /**
     * One evaluator's aggregate.
     *
     * @param kind         {@code pass_rate} (judgments with a pass/fail) or {@code mean} (numbers without a rule)
     * @param n            judgments counted (errors excluded)
     * @param itemVariance mean over items of the variance across repetitions (null with one repetition)
     * @param passAtK      unbiased pass@k with k = repetitions (null with one repetition or for means)
     */
    public record Criterion(String name, String kind, Double estimate, Double low, Double high, int n, int errors,
                            Double itemVariance, Integer k, Double passAtK) {
    }

    /** Computes the scorecard of a run from its items (with judgments). */
    public static Scorecard of(Run run, List<String> evaluatorNames, int repetitions, List<RunItem> items) {
        int errors = 0;
        int done = 0;
        double cost = 0;
        boolean anyCost = false;
        double evaluationCost = 0;
        long in = 0;
        long out = 0;
        List<Long> latencies = new ArrayList<>();
        for (RunItem item : items) {
            if (!item.status().equals(ExperimentStore.DONE)) {
                continue;
            }
            done++;
            if (item.error() != null) {
                errors++;
                continue;
            }
            if (item.cost() != null) {
                cost += item.cost();
                anyCost = true;
            }
            in += item.inputTokens() == null ? 0 : item.inputTokens();
            out += item.outputTokens() == null ? 0 : item.outputTokens();
            if (item.latencyMs() != null) {
                latencies.add(item.latencyMs());
            }
        }
        List<Criterion> criteria = new ArrayList<>();
        for (String name : evaluatorNames) {
            criteria.add(criterion(name, repetitions, items));
        }
        int answered = done - errors;
        return new Scorecard(run.id(), run.label(), items.size(), done, errors, anyCost ? cost : null,
                anyCost && answered > 0 ? cost / answered : null, evaluationCost(items), in, out,
                latencies.isEmpty() ? null : Stats.percentile(latencies, 50),
                latencies.isEmpty() ? null : Stats.percentile(latencies, 95), criteria);
    }

    private static Double evaluationCost(List<RunItem> items) {
        double sum = 0;
        boolean any = false;
        for (RunItem item : items) {
            for (RunItem.ItemJudgment j : item.judgments()) {
                if (j.cost() != null) {
                    sum += j.cost();
                    any = true;
                }
            }
        }
        return any ? sum : null;
    }

    /** Per dataset item, the values of one criterion across repetitions (1/0 for pass/fail). */
    static Map<String, List<Double>> valuesByItem(String name, List<RunItem> items, boolean passFail) {
        Map<String, List<Double>> byItem = new LinkedHashMap<>();
        for (RunItem item : items) {
            for (RunItem.ItemJudgment j : item.judgments()) {
                if (!j.evaluator().equals(name) || j.error() != null) {
                    continue;
                }
                Double value = passFail ? (j.passed() == null ? null : j.passed() ? 1.0 : 0.0) : number(j.value());
                if (value != null) {
                    byItem.computeIfAbsent(item.itemId(), k -> new ArrayList<>()).add(value);
                }
            }
        }
        return byItem;
    }

    /** Whether a criterion is scored as pass/fail (some judgment has a verdict) rather than as a mean. */
    static boolean passFail(String name, List<RunItem> items) {
        for (RunItem item : items) {
            for (RunItem.ItemJudgment j : item.judgments()) {
                if (j.evaluator().equals(name) && j.passed() != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Criterion criterion(String name, int repetitions, List<RunItem> items) {
        boolean passFail = passFail(name, items);
        int errors = 0;
        for (RunItem item : items) {
            for (RunItem.ItemJudgment j : item.judgments()) {
                if (j.evaluator().equals(name) && j.error() != null) {
                    errors++;
                }
            }
        }
        Map<String, List<Double>> byItem = valuesByItem(name, items, passFail);
        List<Double> all = byItem.values().stream().flatMap(List::stream).toList();
        Stats.Interval interval;
        if (passFail) {
            int passed = (int) all.stream().filter(v -> v == 1.0).count();
            interval = Stats.wilson(passed, all.size());
        } else {
            interval = Stats.mean(all.stream().mapToDouble(Double::doubleValue).toArray());
        }
        Double variance = null;
        Double passAtK = null;
        Integer k = null;
        if (repetitions > 1 && !byItem.isEmpty()) {
            variance = byItem.values().stream()
                    .mapToDouble(v -> Stats.variance(v.stream().mapToDouble(Double::doubleValue).toArray()))
                    .average().orElse(0);
            if (passFail) {
                k = repetitions;
                passAtK = byItem.values().stream().filter(v -> v.size() >= repetitions)
                        .mapToDouble(v -> Stats.passAtK(v.size(), (int) v.stream().filter(x -> x == 1.0).count(),
                                repetitions))
                        .average().orElse(Double.NaN);
                passAtK = passAtK.isNaN() ? null : passAtK;
            }
        }
        return new Criterion(name, passFail ? "pass_rate" : "mean", finite(interval.estimate()),
                finite(interval.low()), finite(interval.high()), all.size(), errors, variance, k, passAtK);
    }

    static Double number(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? 1.0 : 0.0;
        }
        return null;
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
