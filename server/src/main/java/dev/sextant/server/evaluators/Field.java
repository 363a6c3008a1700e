package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonValue;

/** A part of an {@link EvalInput} an evaluator reads; declared so that runners can tell what to collect. */
public enum Field {
    OUTPUT("output"), EXPECTED("expected"), INPUT("input"), CONTEXT("context"), METADATA("metadata"),
    LATENCY("latency"), COST("cost"), TOKENS("tokens"), TOOL_CALLS("toolCalls");

    private final String id;

    Field(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }
}
