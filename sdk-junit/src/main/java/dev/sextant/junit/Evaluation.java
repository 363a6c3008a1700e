package dev.sextant.junit;

import dev.sextant.sdk.DatasetItem;
import dev.sextant.sdk.ExperimentResult;
import dev.sextant.sdk.ExperimentSpec;
import dev.sextant.sdk.Output;
import dev.sextant.sdk.Sextant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Runs a function over a dataset as a Sextant experiment and turns the result into JUnit tests:
 * one per item (and repetition) and a final {@code thresholds} test. Given to
 * {@link SextantEvaluation} methods.
 */
public final class Evaluation {
    private static final int NAME_CHARS = 80;

    private final Sextant sextant;
    private final SextantEvaluation settings;
    private final String name;

    Evaluation(Sextant sextant, SextantEvaluation settings, String name) {
        this.sextant = sextant;
        this.settings = settings;
        this.name = name;
    }

    /** The client running the evaluation (for tracing your function with it). */
    public Sextant sextant() {
        return sextant;
    }

    /** A gate, explicit or implied (an evaluator without a threshold must always pass). */
    private record Gate(String evaluator, String measure, double min, boolean explicit) {
        Optional<Boolean> met(ExperimentResult result) {
            return result.criterion(evaluator).map(c -> {
                if (!explicit && !c.isPassRate()) {
                    return true; // a mean without a threshold is informational
                }
                Double value = measure.equals("pass rate") ? c.passRate() : c.mean();
                return value != null && value >= min - 1e-12;
            });
        }
    }

    /**
     * Runs {@code task} on every item and returns the tests. The task answers a {@code String},
     * an {@link Output} (to add a trace id, cost or tokens), or anything else (its {@code toString}).
     * It runs while the experiment runs; the tests then report what the evaluators judged.
     */
    public Stream<DynamicNode> run(Function<DatasetItem, ?> task) {
        List<Gate> gates = gates();
        ExperimentSpec.Builder spec = ExperimentSpec.builder(settings.dataset()).evaluators(settings.evaluators())
                .name(name).concurrency(settings.concurrency()).repetitions(settings.repetitions())
                .timeout(Duration.ofSeconds(settings.timeoutSeconds()))
                .task(item -> output(task.apply(item)));
        if (settings.datasetVersion() > 0) {
            spec.datasetVersion(settings.datasetVersion());
        }
        ExperimentResult result = sextant.experiments().run(spec.build());
        Map<String, Boolean> met = new LinkedHashMap<>();
        for (Gate gate : gates) {
            met.put(gate.evaluator(), gate.met(result).orElse(false));
        }
        List<DynamicNode> tests = new ArrayList<>();
        int index = 0;
        for (ExperimentResult.ItemResult item : result.items()) {
            index++;
            tests.add(DynamicTest.dynamicTest(displayName(index, item), () -> checkItem(item, gates, met)));
        }
        tests.add(DynamicTest.dynamicTest("thresholds", () -> checkThresholds(result, gates, met)));
        return tests.stream();
    }

    private static Output output(Object answer) {
        if (answer instanceof Output output) {
            return output;
        }
        return answer == null ? null : Output.of(answer.toString());
    }

    private List<Gate> gates() {
        Map<String, Gate> gates = new LinkedHashMap<>();
        for (String spec : settings.evaluators()) {
            String evaluator = ExperimentSpec.EvaluatorRef.parse(spec).name();
            gates.put(evaluator, new Gate(evaluator, "pass rate", 1.0, false));
        }
        for (Threshold threshold : settings.threshold()) {
            if (!gates.containsKey(threshold.evaluator())) {
                throw new IllegalArgumentException("@Threshold names evaluator '" + threshold.evaluator()
                        + "', which is not in evaluators " + List.of(settings.evaluators()));
            }
            boolean rate = !Double.isNaN(threshold.minPassRate());
            if (rate == !Double.isNaN(threshold.minMean())) {
                throw new IllegalArgumentException("@Threshold for '" + threshold.evaluator()
                        + "' needs exactly one of minPassRate and minMean");
            }
            gates.put(threshold.evaluator(), new Gate(threshold.evaluator(), rate ? "pass rate" : "mean",
                    rate ? threshold.minPassRate() : threshold.minMean(), true));
        }
        return List.copyOf(gates.values());
    }

    private String displayName(int index, ExperimentResult.ItemResult item) {
        String first = item.item().input().values().stream().findFirst().map(String::valueOf)
                .orElse(item.item().id());
        first = first.replaceAll("\\s+", " ").strip();
        if (first.length() > NAME_CHARS) {
            first = first.substring(0, NAME_CHARS - 1) + "…";
        }
        return "[" + index + "] " + first + (settings.repetitions() > 1 ? " (repetition " + item.repetition() + ")" : "");
    }

    private static void checkItem(ExperimentResult.ItemResult item, List<Gate> gates, Map<String, Boolean> met) {
        if (item.error() != null) {
            throw new AssertionFailedError("the function failed on item " + item.item().id() + ": " + item.error()
                    + context(item));
        }
        List<String> failures = new ArrayList<>();
        List<String> tolerated = new ArrayList<>();
        for (ExperimentResult.Judgment judgment : item.judgments()) {
            if (judgment.error() != null) {
                failures.add(judgment.evaluator() + ": the evaluation failed: " + judgment.error());
                continue;
            }
            if (!Boolean.FALSE.equals(judgment.passed())) {
                continue;
            }
            String line = judgment.evaluator() + " failed: " + (judgment.reason() == null ? "(no reason given)"
                    : judgment.reason());
            Gate gate = gates.stream().filter(g -> g.evaluator().equals(judgment.evaluator())).findFirst().orElse(null);
            if (gate != null && gate.explicit() && met.getOrDefault(gate.evaluator(), false)) {
                tolerated.add(line);
            } else {
                failures.add(line);
            }
        }
        if (!failures.isEmpty()) {
            failures.addAll(tolerated);
            throw new AssertionFailedError(String.join("\n", failures) + context(item));
        }
        if (!tolerated.isEmpty()) {
            throw new TestAbortedException("tolerated (the evaluator's threshold is met): "
                    + String.join("\n", tolerated) + context(item));
        }
    }

    private static String context(ExperimentResult.ItemResult item) {
        StringBuilder out = new StringBuilder();
        out.append("\n  input: ").append(item.item().input());
        if (item.output() != null) {
            out.append("\n  output: ").append(item.output());
        }
        if (item.item().expectedOutput() != null) {
            out.append("\n  expected: ").append(item.item().expectedText());
        }
        if (item.traceId() != null) {
            out.append("\n  trace: ").append(item.traceId());
        }
        return out.toString();
    }

    private static void checkThresholds(ExperimentResult result, List<Gate> gates, Map<String, Boolean> met) {
        List<String> lines = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        for (Gate gate : gates) {
            String line = result.criterion(gate.evaluator()).map(c -> describe(gate, c))
                    .orElse(gate.evaluator() + ": no judgments");
            lines.add((met.get(gate.evaluator()) ? "ok     " : "MISSED ") + line);
            if (!met.get(gate.evaluator())) {
                missed.add(line);
            }
        }
        if (!missed.isEmpty()) {
            throw new AssertionFailedError(missed.size() + " of " + gates.size() + " thresholds missed in experiment "
                    + result.experimentId() + " (" + result.scorecard().errors() + " items failed to run):\n"
                    + String.join("\n", lines));
        }
    }

    private static String describe(Gate gate, ExperimentResult.Criterion c) {
        boolean rate = c.isPassRate();
        String value = c.estimate() == null ? "–" : format(c.estimate(), rate);
        String interval = c.low() == null || c.high() == null ? ""
                : " [" + format(c.low(), rate) + ", " + format(c.high(), rate) + "]";
        String line = String.format(Locale.ROOT, "%s: %s %s%s (n=%d, %d evaluation errors), required %s ≥ %s",
                gate.evaluator(), rate ? "pass rate" : "mean", value, interval, c.n(), c.errors(), gate.measure(),
                format(gate.min(), gate.measure().equals("pass rate")));
        if (rate != gate.measure().equals("pass rate")) {
            // Every evaluator with a pass rule reports a pass rate; a mean needs scores without one.
            line += rate ? " — this evaluator reports a pass rate: set minPassRate, not minMean"
                    : " — this evaluator reports a mean: set minMean, not minPassRate";
        }
        return line;
    }

    private static String format(double value, boolean percent) {
        return percent ? String.format(Locale.ROOT, "%.0f%%", value * 100) : String.format(Locale.ROOT, "%.3f", value);
    }
}
