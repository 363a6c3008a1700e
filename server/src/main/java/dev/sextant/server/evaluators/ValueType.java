package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The type of value a judgment carries. */
public enum ValueType {
    BOOLEAN, NUMBER, CATEGORY;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
