package dev.sextant.server.review;

import dev.sextant.server.evaluators.Evaluator;
import dev.sextant.server.evaluators.EvaluatorKind;
import dev.sextant.server.evaluators.EvaluatorService;
import dev.sextant.server.evaluators.ScoreSource;
import dev.sextant.server.evaluators.TargetType;
import dev.sextant.server.http.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a judge's pass/fail verdicts with people's on the same targets. Human verdicts come from
 * the human evaluators a review queue links to the judge ({@code calibrates}) and from human scores
 * recorded under the judge's own name; several people on one target vote (majority, ties left out).
 * The judge's verdict is its latest non-error score on the target.
 */
public final class CalibrationService {
    static final int MAX_SCORES = 50_000;
    static final int MAX_DISAGREEMENTS = 100;

    private final ReviewStore store;
    private final EvaluatorService evaluators;

    public CalibrationService(ReviewService reviews, EvaluatorService evaluators) {
        this.store = reviews.store();
        this.evaluators = evaluators;
    }

    public Calibration calibrate(String projectId, String judgeName) {
        Evaluator judge = evaluators.get(projectId, judgeName, null);
        if (judge.kind() == EvaluatorKind.HUMAN) {
            throw ApiException.invalid("'" + judgeName + "' is a human evaluator; calibration compares an LLM or "
                    + "code evaluator with human verdicts");
        }
        List<String> humans = store.humanEvaluatorsCalibrating(projectId, judge.name());
        record Target(TargetType type, String id) {
        }
        Map<Target, ReviewStore.Verdict> judged = new LinkedHashMap<>();
        Map<Target, List<ReviewStore.Verdict>> labelled = new LinkedHashMap<>();
        for (ReviewStore.Verdict v : store.verdicts(projectId, judge.name(), humans, MAX_SCORES)) {
            Target t = new Target(v.targetType(), v.targetId());
            boolean human = v.source().equals(ScoreSource.HUMAN.id());
            if (human) {
                labelled.computeIfAbsent(t, k -> new ArrayList<>()).add(v);
            } else if (v.evaluatorName().equals(judge.name())
                    && (v.source().equals(ScoreSource.LLM.id()) || v.source().equals(ScoreSource.CODE.id()))) {
                judged.put(t, v); // oldest first: the last one wins
            }
        }
        Agreement agreement = new Agreement(0, 0, 0, 0);
        int ties = 0;
        List<Calibration.Disagreement> disagreements = new ArrayList<>();
        for (Map.Entry<Target, List<ReviewStore.Verdict>> e : labelled.entrySet()) {
            ReviewStore.Verdict verdict = judged.get(e.getKey());
            if (verdict == null) {
                continue;
            }
            long passes = e.getValue().stream().filter(ReviewStore.Verdict::passed).count();
            long fails = e.getValue().size() - passes;
            if (passes == fails) {
                ties++;
                continue;
            }
            boolean human = passes > fails;
            agreement = agreement.add(human, verdict.passed());
            if (human != verdict.passed() && disagreements.size() < MAX_DISAGREEMENTS) {
                Target t = e.getKey();
                String traceId = switch (t.type()) {
                    case TRACE -> t.id();
                    case SPAN -> store.traceOfQueuedSpan(projectId, t.id()).orElse(null);
                    case EXPERIMENT_ITEM -> null;
                };
                disagreements.add(new Calibration.Disagreement(t.type(), t.id(), traceId, human, verdict.passed(),
                        e.getValue().stream().map(ReviewStore.Verdict::author).distinct().toList(), verdict.reason()));
            }
        }
        return Calibration.of(judge.name(), humans, agreement, ties, disagreements);
    }
}
