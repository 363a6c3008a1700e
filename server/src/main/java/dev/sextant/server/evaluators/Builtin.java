package dev.sextant.server.evaluators;

import java.util.List;
import java.util.function.Function;

/**
 * A built-in code evaluator: compiles its parameters into a {@link CodeCheck}.
 *
 * @param output        boolean for checks; number (0..1 or a measure) for similarity metrics, whose
 *                      {@code threshold} parameter becomes the default pass rule
 * @param exampleParams a JSON example shown in the UI and docs
 */
record Builtin(String name, String summary, ValueType output, List<Field> reads, String exampleParams,
               Function<Params, CodeCheck> factory) {

    /** Default threshold for number-valued built-ins when params has none. */
    double defaultThreshold() {
        return switch (name) {
            case "rouge-l" -> 0.5;
            case "bleu" -> 0.3;
            default -> 0.8;
        };
    }
}
