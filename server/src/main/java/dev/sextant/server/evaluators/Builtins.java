package dev.sextant.server.evaluators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sextant.server.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The library of built-in code evaluators, by name. Every one can be negated ({@code not-<name>}). */
final class Builtins {
    private static final ObjectReader STRICT_JSON = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final List<Field> OUT = List.of(Field.OUTPUT);
    private static final List<Field> OUT_EXPECTED = List.of(Field.OUTPUT, Field.EXPECTED);

    private final Map<String, Builtin> byName = new LinkedHashMap<>();
    // Schemas come from users: never fetch a $ref from the network or the file system.
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false).block(iri -> true)));
    private final Embeddings embeddings;

    Builtins(Embeddings embeddings) {
        this.embeddings = embeddings;
        text();
        structure();
        similarity();
        operations();
    }

    List<Builtin> all() {
        return List.copyOf(byName.values());
    }

    Optional<Builtin> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    private void add(String name, String summary, ValueType output, List<Field> reads, String example,
                     java.util.function.Function<Params, CodeCheck> factory) {
        byName.put(name, new Builtin(name, summary, output, reads, example, factory));
    }

    private void text() {
        add("equals", "Output equals params.value (or the expected output), after trimming unless trim is false.",
                ValueType.BOOLEAN, OUT_EXPECTED, "{\"value\": \"Paris\", \"caseSensitive\": false}", p -> {
                    String fixed = p.text("value", null);
                    boolean caseSensitive = p.bool("caseSensitive", true);
                    boolean trim = p.bool("trim", true);
                    return in -> {
                        String target = fixed != null ? fixed : expected(in);
                        String a = trim ? output(in).strip() : output(in);
                        String b = trim ? target.strip() : target;
                        boolean equal = caseSensitive ? a.equals(b) : a.equalsIgnoreCase(b);
                        return CodeCheck.Result.of(equal, equal ? "output equals " + quote(b)
                                : "output " + quote(a) + " differs from " + quote(b));
                    };
                });
        add("contains", "Output contains params.value.", ValueType.BOOLEAN, OUT,
                "{\"value\": \"refund\", \"caseSensitive\": false}", p -> {
                    String value = p.text("value");
                    boolean caseSensitive = p.bool("caseSensitive", true);
                    return in -> {
                        boolean found = fold(output(in), caseSensitive).contains(fold(value, caseSensitive));
                        return CodeCheck.Result.of(found, (found ? "output contains " : "output lacks ") + quote(value));
                    };
                });
        add("contains-any", "Output contains at least one of params.values.", ValueType.BOOLEAN, OUT,
                "{\"values\": [\"sorry\", \"apologize\"], \"caseSensitive\": false}", p -> {
                    List<String> values = p.texts("values");
                    boolean caseSensitive = p.bool("caseSensitive", true);
                    return in -> {
                        String out = fold(output(in), caseSensitive);
                        Optional<String> hit = values.stream().filter(v -> out.contains(fold(v, caseSensitive)))
                                .findFirst();
                        return CodeCheck.Result.of(hit.isPresent(), hit.map(v -> "output contains " + quote(v))
                                .orElse("output contains none of " + values));
                    };
                });
        add("contains-all", "Output contains every one of params.values.", ValueType.BOOLEAN, OUT,
                "{\"values\": [\"price\", \"delivery date\"], \"caseSensitive\": false}", p -> {
                    List<String> values = p.texts("values");
                    boolean caseSensitive = p.bool("caseSensitive", true);
                    return in -> {
                        String out = fold(output(in), caseSensitive);
                        List<String> missing = values.stream().filter(v -> !out.contains(fold(v, caseSensitive)))
                                .toList();
                        return CodeCheck.Result.of(missing.isEmpty(), missing.isEmpty()
                                ? "output contains all of " + values : "output lacks " + missing);
                    };
                });
        add("starts-with", "Output starts with params.value (leading whitespace ignored).", ValueType.BOOLEAN, OUT,
                "{\"value\": \"Dear\", \"caseSensitive\": true}", p -> {
                    String value = p.text("value");
                    boolean caseSensitive = p.bool("caseSensitive", true);
                    return in -> {
                        boolean starts = fold(output(in).stripLeading(), caseSensitive)
                                .startsWith(fold(value, caseSensitive));
                        return CodeCheck.Result.of(starts, (starts ? "output starts with " : "output does not start with ")
                                + quote(value));
                    };
                });
        add("regex", "Output matches params.pattern somewhere (RE2 syntax: linear time, no backreferences).",
                ValueType.BOOLEAN, OUT, "{\"pattern\": \"\\\\b[A-Z]{2}-\\\\d{4}\\\\b\", \"caseSensitive\": true}", p -> {
                    String source = p.text("pattern");
                    Pattern pattern;
                    try {
                        pattern = Pattern.compile(source, p.bool("caseSensitive", true) ? 0 : Pattern.CASE_INSENSITIVE);
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException("params.pattern is not a valid RE2 pattern: "
                                + e.getDescription());
                    }
                    return in -> {
                        com.google.re2j.Matcher m = pattern.matcher(output(in));
                        boolean found = m.find();
                        return CodeCheck.Result.of(found, found ? "matched " + quote(m.group())
                                : "no match for /" + source + "/");
                    };
                });
        add("length", "Output length is within [params.min, params.max], counted in chars (default) or words.",
                ValueType.BOOLEAN, OUT, "{\"min\": 20, \"max\": 400, \"unit\": \"chars\"}", p -> {
                    Double min = p.optionalNumber("min");
                    Double max = p.optionalNumber("max");
                    if (min == null && max == null) {
                        throw new IllegalArgumentException("params.min or params.max is required");
                    }
                    String unit = p.text("unit", "chars");
                    if (!unit.equals("chars") && !unit.equals("words")) {
                        throw new IllegalArgumentException("params.unit must be 'chars' or 'words'");
                    }
                    return in -> {
                        String out = output(in);
                        int length = unit.equals("words") ? TextMetrics.tokens(out).size()
                                : out.codePointCount(0, out.length());
                        boolean ok = (min == null || length >= min) && (max == null || length <= max);
                        return CodeCheck.Result.of(ok, "length " + length + " " + unit
                                + (ok ? " is within " : " is outside ") + "[" + (min == null ? "" : fmt(min)) + ", "
                                + (max == null ? "" : fmt(max)) + "]");
                    };
                });
    }

    private void structure() {
        add("is-json", "The whole output is valid JSON (any JSON value; set params.type to require object or array).",
                ValueType.BOOLEAN, OUT, "{\"type\": \"object\"}", p -> {
                    String type = p.text("type", "any");
                    if (!List.of("any", "object", "array").contains(type)) {
                        throw new IllegalArgumentException("params.type must be 'any', 'object' or 'array'");
                    }
                    return in -> {
                        try {
                            JsonNode node = parseJson(output(in));
                            boolean ok = type.equals("any") || type.equals("object") && node.isObject()
                                    || type.equals("array") && node.isArray();
                            return CodeCheck.Result.of(ok, ok ? "output is valid JSON" : "output is JSON but not an " + type);
                        } catch (JsonProcessingException e) {
                            return CodeCheck.Result.of(false, "output is not valid JSON: " + e.getOriginalMessage());
                        }
                    };
                });
        add("json-schema", "The output is JSON valid against params.schema (JSON Schema 2020-12; no remote $ref).",
                ValueType.BOOLEAN, OUT,
                "{\"schema\": {\"type\": \"object\", \"required\": [\"answer\"], "
                        + "\"properties\": {\"answer\": {\"type\": \"string\"}}}}", p -> {
                    Schema schema = compileSchema(p.object("schema"), "params.schema");
                    return in -> {
                        try {
                            List<String> errors = validate(schema, parseJson(output(in)));
                            return CodeCheck.Result.of(errors.isEmpty(), errors.isEmpty() ? "output matches the schema"
                                    : "schema violations: " + String.join("; ", errors));
                        } catch (JsonProcessingException e) {
                            return CodeCheck.Result.of(false, "output is not valid JSON: " + e.getOriginalMessage());
                        }
                    };
                });
        add("tool-call", "A call to params.tool was made, with arguments valid against params.argumentsSchema if given.",
                ValueType.BOOLEAN, List.of(Field.TOOL_CALLS),
                "{\"tool\": \"get_weather\", \"argumentsSchema\": {\"type\": \"object\", \"required\": [\"city\"]}}", p -> {
                    String tool = p.text("tool");
                    Schema schema = p.has("argumentsSchema")
                            ? compileSchema(p.object("argumentsSchema"), "params.argumentsSchema") : null;
                    return in -> {
                        List<EvalInput.ToolCall> calls = in.toolCallsOrEmpty().stream()
                                .filter(c -> tool.equals(c.name())).toList();
                        if (calls.isEmpty()) {
                            List<String> names = in.toolCallsOrEmpty().stream().map(EvalInput.ToolCall::name).toList();
                            return CodeCheck.Result.of(false, quote(tool) + " was not called (calls: " + names + ")");
                        }
                        if (schema == null) {
                            return CodeCheck.Result.of(true, quote(tool) + " was called");
                        }
                        List<String> lastErrors = List.of();
                        for (EvalInput.ToolCall call : calls) {
                            lastErrors = validate(schema, call.arguments() == null
                                    ? Json.mapper().nullNode() : call.arguments());
                            if (lastErrors.isEmpty()) {
                                return CodeCheck.Result.of(true, quote(tool) + " was called with matching arguments");
                            }
                        }
                        return CodeCheck.Result.of(false, quote(tool) + " was called but its arguments do not match: "
                                + String.join("; ", lastErrors));
                    };
                });
    }

    private void similarity() {
        add("levenshtein", "Character similarity 1 - editDistance/longerLength between output and params.value "
                + "(or the expected output).", ValueType.NUMBER, OUT_EXPECTED, "{\"threshold\": 0.8}",
                p -> reference(p, "levenshtein similarity", TextMetrics::levenshteinSimilarity));
        add("rouge-l", "ROUGE-L F1 (longest common word subsequence) of output against the expected output.",
                ValueType.NUMBER, OUT_EXPECTED, "{\"threshold\": 0.5}",
                p -> reference(p, "ROUGE-L", TextMetrics::rougeL));
        add("bleu", "Sentence BLEU (1..maxN-grams, brevity penalty) of output against the expected output; "
                + "smoothing 'add-one' (default) or 'none'.", ValueType.NUMBER, OUT_EXPECTED,
                "{\"threshold\": 0.3, \"maxN\": 4, \"smoothing\": \"add-one\"}", p -> {
                    double maxN = p.number("maxN", 4);
                    if (maxN < 1 || maxN > 8 || maxN != Math.rint(maxN)) {
                        throw new IllegalArgumentException("params.maxN must be a whole number from 1 to 8");
                    }
                    String smoothing = p.text("smoothing", "add-one");
                    if (!smoothing.equals("add-one") && !smoothing.equals("none")) {
                        throw new IllegalArgumentException("params.smoothing must be 'add-one' or 'none'");
                    }
                    return reference(p, "BLEU", (a, b) -> TextMetrics.bleu(a, b, (int) maxN, smoothing.equals("add-one")));
                });
        add("semantic-similarity", "Cosine similarity of all-MiniLM-L6-v2 embeddings (embedded model, no network) "
                + "of output and params.value (or the expected output).", ValueType.NUMBER, OUT_EXPECTED,
                "{\"threshold\": 0.8}", p -> reference(p, "semantic similarity", embeddings::similarity));
    }

    private void operations() {
        add("max-latency", "Latency in milliseconds is at most params.max.", ValueType.BOOLEAN, List.of(Field.LATENCY),
                "{\"max\": 2000}", p -> atMost(p, "latency", "ms", in -> in.latencyMs() == null ? null
                        : in.latencyMs().doubleValue()));
        add("max-cost", "Cost (USD) is at most params.max.", ValueType.BOOLEAN, List.of(Field.COST),
                "{\"max\": 0.01}", p -> atMost(p, "cost", "USD", EvalInput::cost));
        add("max-tokens", "Total tokens are at most params.max.", ValueType.BOOLEAN, List.of(Field.TOKENS),
                "{\"max\": 1000}", p -> atMost(p, "tokens", "tokens", in -> in.tokens() == null ? null
                        : in.tokens().doubleValue()));
    }

    private static CodeCheck reference(Params p, String label,
                                       java.util.function.ToDoubleBiFunction<String, String> metric) {
        String fixed = p.text("value", null);
        double threshold = p.number("threshold", 0);
        if (threshold < 0 || threshold > 1) {
            throw new IllegalArgumentException("params.threshold must be between 0 and 1");
        }
        return in -> {
            String target = fixed != null ? fixed : expected(in);
            double score = metric.applyAsDouble(output(in), target);
            return CodeCheck.Result.of(score, label + " " + String.format(Locale.ROOT, "%.3f", score));
        };
    }

    private static CodeCheck atMost(Params p, String what, String unit,
                                    java.util.function.Function<EvalInput, Double> measure) {
        double max = p.number("max");
        return in -> {
            Double value = measure.apply(in);
            if (value == null) {
                throw new EvaluationException("the example has no " + what);
            }
            boolean ok = value <= max;
            return CodeCheck.Result.of(ok, what + " " + fmt(value) + " " + unit + (ok ? " ≤ " : " > ") + fmt(max));
        };
    }

    private Schema compileSchema(JsonNode schema, String field) {
        try {
            return schemas.getSchema(schema);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + " is not a valid JSON schema: " + e.getMessage());
        }
    }

    private static List<String> validate(Schema schema, JsonNode node) {
        try {
            List<String> messages = new ArrayList<>();
            schema.validate(node).forEach(error -> messages.add(error.getInstanceLocation() + ": " + error.getMessage()));
            return messages;
        } catch (RuntimeException e) {
            throw new EvaluationException("schema validation failed: " + e.getMessage());
        }
    }

    private static JsonNode parseJson(String text) throws JsonProcessingException {
        if (text.isBlank()) {
            throw new EmptyJson();
        }
        return STRICT_JSON.readTree(text);
    }

    /** A blank output is not JSON; Jackson would read it as "missing" instead of failing. */
    private static final class EmptyJson extends JsonProcessingException {
        EmptyJson() {
            super("the output is empty");
        }
    }

    static String output(EvalInput in) {
        if (in.output() == null) {
            throw new EvaluationException("the example has no output");
        }
        return in.output();
    }

    static String expected(EvalInput in) {
        if (in.expected() == null) {
            throw new EvaluationException("the example has no expected output (or set params.value)");
        }
        return in.expected();
    }

    private static String fold(String text, boolean caseSensitive) {
        return caseSensitive ? text : text.toLowerCase(Locale.ROOT);
    }

    private static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return "\"" + shown + "\"";
    }

    private static String fmt(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
