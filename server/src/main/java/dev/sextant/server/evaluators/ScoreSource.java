package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a score came from. */
public enum ScoreSource {
    CODE, LLM, HUMAN, FEEDBACK, API;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
