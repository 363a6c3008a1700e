package dev.sextant.server.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** One immutable version of a named evaluator. */
public record Evaluator(String id, String name, int version, EvaluatorKind kind, String description,
                       OutputType outputType, PassRule passRule, List<Field> reads, JsonNode config,
                       String contentHash, String createdBy, Instant createdAt) {

    public EvaluatorDefinition definition() {
        return new EvaluatorDefinition(name, description, kind, outputType, passRule, reads, config);
    }
}
