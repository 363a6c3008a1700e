package dev.sextant.server.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a user writes to define (a version of) an evaluator; also what "try it" runs unsaved.
 * {@code outputType}, {@code passRule} and {@code reads} may be omitted: they default from the kind
 * and config (see {@link EvaluatorService#normalize}).
 *
 * @param config per kind: code {@code {"builtin","params","negate"}} or {@code {"cel"}}; llm
 *               {@code {"template" | "preset", "model"}}; human {@code {"rubric"}}
 */
public record EvaluatorDefinition(String name, String description, EvaluatorKind kind, OutputType outputType,
                                  PassRule passRule, List<Field> reads, JsonNode config) {

    public EvaluatorDefinition withName(String value) {
        return new EvaluatorDefinition(value, description, kind, outputType, passRule, reads, config);
    }
}
