package dev.sextant.server.experiments;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of an experiment and of each of its runs. */
public enum Status {
    QUEUED, RUNNING, COMPLETED, CANCELLED, FAILED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == COMPLETED || this == CANCELLED || this == FAILED;
    }

    static Status of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
