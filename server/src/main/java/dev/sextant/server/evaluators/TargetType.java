package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a score is attached to. */
public enum TargetType {
    TRACE, SPAN, EXPERIMENT_ITEM;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
