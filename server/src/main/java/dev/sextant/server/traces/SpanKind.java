package dev.sextant.server.traces;

import java.util.Locale;

/** What a span does; drives how the explorer renders it. */
public enum SpanKind {
    LLM, TOOL, RETRIEVAL, EMBEDDING, CHAIN, AGENT, GUARDRAIL, EVALUATOR, EVENT, OTHER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code value} (case-insensitive), or null when it names none. */
    public static SpanKind parse(String value) {
        if (value == null) {
            return null;
        }
        for (SpanKind kind : values()) {
            if (kind.id().equalsIgnoreCase(value.trim())) {
                return kind;
            }
        }
        return null;
    }
}
