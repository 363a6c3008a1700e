package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an evaluator judges: deterministic code, an LLM judge, or a person with a rubric. */
public enum EvaluatorKind {
    CODE, LLM, HUMAN;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source recorded on scores this kind produces. */
    public ScoreSource scoreSource() {
        return switch (this) {
            case CODE -> ScoreSource.CODE;
            case LLM -> ScoreSource.LLM;
            case HUMAN -> ScoreSource.HUMAN;
        };
    }
}
