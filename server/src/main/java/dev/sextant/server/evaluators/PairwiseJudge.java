package dev.sextant.server.evaluators;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A vs B comparison by an LLM judge, run in both presentation orders to cancel position bias: the
 * result is the winner only when both orders agree, otherwise a tie.
 */
public final class PairwiseJudge {
    public static final Set<String> PLACEHOLDERS = Set.of("output_a", "output_b");
    public static final String DEFAULT_TEMPLATE = """
            Two responses to the same input follow. Decide which one better answers the input: more
            correct, more complete and more helpful. Length alone is not quality.

            Input:
            {{input}}

            Response A:
            {{output_a}}

            Response B:
            {{output_b}}

            The verdict is "A" or "B" for the better response, or "tie" if neither is better.""";
    private static final OutputType VERDICTS = OutputType.category(List.of("A", "B", "tie"));

    private final JudgeModel model;

    public PairwiseJudge(JudgeModel model) {
        this.model = model;
    }

    /**
     * @param winner {@code "A"}, {@code "B"} or {@code "tie"}; null when {@code error}
     */
    public record Result(String winner, String reasonAFirst, String reasonBFirst, boolean error,
                         String errorMessage, Double cost) {
    }

    public Result compare(String projectId, String template, JudgeModel.ModelConfig config, EvalInput input,
                          String outputA, String outputB) {
        String criterion = template == null || template.isBlank() ? DEFAULT_TEMPLATE : template;
        LlmJudge.fieldsOf(criterion, PLACEHOLDERS);
        LlmJudge judge = new LlmJudge(model);
        Judgment first = judge.judgeWith(projectId, "pairwise judge", criterion, VERDICTS, config, input,
                Map.of("output_a", outputA, "output_b", outputB));
        Judgment second = judge.judgeWith(projectId, "pairwise judge", criterion, VERDICTS, config, input,
                Map.of("output_a", outputB, "output_b", outputA));
        Double cost = sum(first.cost(), second.cost());
        if (first.error() || second.error()) {
            String message = first.error() ? "A-first order: " + first.errorMessage()
                    : "B-first order: " + second.errorMessage();
            return new Result(null, first.reason(), second.reason(), true, message, cost);
        }
        String a = ((JudgmentValue.Category) first.value()).value();
        String b = swap(((JudgmentValue.Category) second.value()).value());
        return new Result(a.equals(b) ? a : "tie", first.reason(), second.reason(), false, null, cost);
    }

    private static String swap(String verdict) {
        return switch (verdict) {
            case "A" -> "B";
            case "B" -> "A";
            default -> verdict;
        };
    }

    private static Double sum(Double a, Double b) {
        return a == null && b == null ? null : (a == null ? 0 : a) + (b == null ? 0 : b);
    }
}
