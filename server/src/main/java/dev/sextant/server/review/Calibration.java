package dev.sextant.server.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sextant.server.evaluators.TargetType;
import java.util.List;

/**
 * How well a judge (LLM or code evaluator) agrees with people on the targets both judged.
 *
 * @param humanEvaluators the human evaluators whose verdicts count as truth (linked with
 *                        {@code calibrates}, plus human scores under the judge's own name)
 * @param ties            targets whose human verdicts split evenly, left out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Calibration(String evaluator, List<String> humanEvaluators, int pairs, int ties, Double agreementRate,
                          Double kappa, Matrix confusionMatrix, Double truePositiveRate, Double trueNegativeRate,
                          List<Disagreement> disagreements) {

    public record Matrix(int truePositives, int falseNegatives, int falsePositives, int trueNegatives) {
    }

    /** A target where the judge and people disagree; {@code traceId} is null for experiment items. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Disagreement(TargetType targetType, String targetId, String traceId, boolean humanPassed,
                               boolean judgePassed, List<String> reviewers, String judgeReason) {
    }

    /** "83 %", or a dash when undefined. */
    public static String pct(Double rate) {
        return rate == null ? "—" : Math.round(rate * 100) + " %";
    }

    static Calibration of(String evaluator, List<String> humanEvaluators, Agreement a, int ties,
                          List<Disagreement> disagreements) {
        return new Calibration(evaluator, humanEvaluators, a.total(), ties, a.agreementRate(), a.kappa(),
                new Matrix(a.truePositives(), a.falseNegatives(), a.falsePositives(), a.trueNegatives()),
                a.truePositiveRate(), a.trueNegativeRate(), disagreements);
    }
}
