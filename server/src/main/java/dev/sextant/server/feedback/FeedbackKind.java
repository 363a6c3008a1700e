package dev.sextant.server.feedback;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kinds of end-user feedback. */
public enum FeedbackKind {
    VOTE, RATING, ACTION, CORRECTION, COMMENT, RETENTION;

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FeedbackKind> parse(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
    }
}
