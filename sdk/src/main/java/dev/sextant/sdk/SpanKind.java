package dev.sextant.sdk;

import java.util.Locale;

/** What a span does; sent as {@code sextant.span.kind} and mapped to Sextant's span kinds. */
public enum SpanKind {
    LLM, TOOL, RETRIEVAL, EMBEDDING, CHAIN, AGENT, GUARDRAIL, EVALUATOR, EVENT, OTHER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
