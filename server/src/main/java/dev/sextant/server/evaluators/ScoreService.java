package dev.sextant.server.evaluators;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Stores judgments as scores on traces, spans and experiment items. Features that evaluate
 * (experiments, online evaluation, review queues, feedback) record through this service.
 */
public final class ScoreService {
    public static final int MAX_REASON_CHARS = 20_000;
    public static final int MAX_CATEGORY_CHARS = 200;
    public static final int MAX_PER_TARGET = 1_000;

    private final Jdbi jdbi;
    private final ScoreStore store;
    private final Clock clock;
    private final EvaluatorService evaluators;

    public ScoreService(Database database, Clock clock, EvaluatorService evaluators) {
        this.jdbi = database.jdbi();
        this.store = new ScoreStore(database.jdbi());
        this.clock = clock;
        this.evaluators = evaluators;
    }

    /**
     * A score to record. When {@code passed} is null and a saved evaluator of that name (and
     * version, or the latest) exists, it is computed with the evaluator's pass rule.
     */
    public record NewScore(TargetType targetType, String targetId, String evaluatorName, Integer evaluatorVersion,
                           JudgmentValue value, Boolean passed, String reason, String error, ScoreSource source,
                           Double cost) {
    }

    /** Records in its own transaction. */
    public Score record(String projectId, NewScore score, String author) {
        Score prepared = prepare(projectId, score, author, Optional.empty());
        jdbi.useTransaction(h -> store.insert(h, projectId, prepared));
        return prepared;
    }

    /** Records in the caller's transaction (e.g. together with a feedback event or a review). */
    public Score record(Handle h, String projectId, NewScore score, String author) {
        Score prepared = prepare(projectId, score, author, Optional.empty());
        store.insert(h, projectId, prepared);
        return prepared;
    }

    /**
     * Records, in the caller's transaction, what the given (pinned) evaluator judged, e.g. together
     * with an experiment item's result: the evaluator is known, so it is not looked up again.
     */
    public Score record(Handle h, String projectId, Evaluator evaluator, NewScore score, String author) {
        Score prepared = prepare(projectId, score, author, Optional.of(evaluator));
        store.insert(h, projectId, prepared);
        return prepared;
    }

    /** Records what a saved evaluator judged about a target. */
    public Score recordJudgment(String projectId, TargetType targetType, String targetId, Evaluator evaluator,
                                Judgment judgment, String author) {
        return record(projectId, new NewScore(targetType, targetId, evaluator.name(), evaluator.version(),
                judgment.value(), judgment.passed(), judgment.reason(), judgment.error() ? judgment.errorMessage() : null,
                evaluator.kind().scoreSource(), judgment.cost()), author);
    }

    public List<Score> forTarget(String projectId, TargetType targetType, String targetId, String evaluatorName) {
        return store.forTarget(projectId, targetType, targetId, evaluatorName, MAX_PER_TARGET);
    }

    /** The latest scores an evaluator (any version) produced, newest first. */
    public List<Score> recent(String projectId, String evaluatorName, int limit) {
        return store.recentForEvaluator(projectId, evaluatorName, Math.min(limit, MAX_PER_TARGET));
    }

    private Score prepare(String projectId, NewScore s, String author, Optional<Evaluator> known) {
        if (s.targetType() == null) {
            throw ApiException.invalid("targetType must be trace, span or experiment_item");
        }
        requireText(s.targetId(), "targetId", 200);
        requireText(s.evaluatorName(), "name", 100);
        if (s.source() == null) {
            throw ApiException.invalid("source must be code, llm, human, feedback or api");
        }
        if (s.value() == null && s.error() == null) {
            throw ApiException.invalid("value is required (a boolean, a number or a category string), "
                    + "or error for a failed evaluation");
        }
        if (s.value() instanceof JudgmentValue.Category c && (c.value().isEmpty()
                || c.value().length() > MAX_CATEGORY_CHARS)) {
            throw ApiException.invalid("a category value must have 1-" + MAX_CATEGORY_CHARS + " characters");
        }
        if (s.reason() != null && s.reason().length() > MAX_REASON_CHARS) {
            throw ApiException.invalid("reason must have at most " + MAX_REASON_CHARS + " characters");
        }
        if (s.error() != null && s.error().length() > MAX_REASON_CHARS) {
            throw ApiException.invalid("error must have at most " + MAX_REASON_CHARS + " characters");
        }
        if (s.cost() != null && (!Double.isFinite(s.cost()) || s.cost() < 0)) {
            throw ApiException.invalid("cost must be a non-negative number");
        }
        if (s.evaluatorVersion() != null && s.evaluatorVersion() < 1) {
            throw ApiException.invalid("version must be 1 or more");
        }
        Boolean passed = s.passed();
        Integer version = s.evaluatorVersion();
        if (s.error() != null) {
            passed = null;
        } else if (passed == null || version != null) {
            Optional<Evaluator> evaluator = known.isPresent() ? known
                    : evaluators.find(projectId, s.evaluatorName(), version);
            if (version != null && evaluator.isEmpty()) {
                throw ApiException.invalid("evaluator '" + s.evaluatorName() + "' has no version " + version);
            }
            if (evaluator.isPresent()) {
                String mismatch = evaluator.get().outputType().mismatch(s.value());
                if (mismatch != null) {
                    throw ApiException.invalid("value does not fit evaluator '" + s.evaluatorName() + "': " + mismatch);
                }
                if (passed == null) {
                    passed = evaluator.get().passRule().passes(s.value());
                    version = evaluator.get().version();
                }
            }
        }
        return new Score(Ids.newId(), s.targetType(), s.targetId().strip(), s.evaluatorName().strip(), version,
                s.value(), passed, s.reason(), s.error(), s.source(), author, s.cost(), clock.instant());
    }

    private static void requireText(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field + " is required");
        }
        if (value.length() > max) {
            throw ApiException.invalid(field + " must have at most " + max + " characters");
        }
    }
}
