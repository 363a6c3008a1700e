package dev.sextant.server.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelRuntime;
import dev.sextant.server.http.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * User-written code evaluators as CEL expressions. CEL has no loops beyond bounded macros over
 * existing lists, no I/O, no host objects and no user functions, so the language itself rules out
 * file, network and class access. On top of that every evaluation is metered: a step budget, a
 * wall-clock deadline and a budget on the bytes of intermediate values (checked in the evaluation
 * listener, which sees every evaluated node), and inputs and expressions are size-capped.
 */
final class CelSandbox {
    static final int MAX_EXPRESSION_CHARS = 2_000;
    static final int MAX_TEXT_CHARS = 200_000;
    static final long MAX_STEPS = 200_000;
    static final int MAX_ITERATIONS = 10_000;
    private static final List<String> VARIABLES = List.of("output", "expected", "context", "input", "metadata",
            "latencyMs", "cost", "tokens", "toolCalls");
    static final long MAX_VALUE_BYTES = 16L * 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Set<CelType> RESULT_TYPES = Set.of(SimpleType.BOOL, SimpleType.INT, SimpleType.UINT,
            SimpleType.DOUBLE, SimpleType.STRING, SimpleType.DYN);

    private final Cel cel = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current()
                    .maxExpressionCodePointSize(MAX_EXPRESSION_CHARS)
                    .maxParseRecursionDepth(50)
                    .comprehensionMaxIterations(MAX_ITERATIONS)
                    .maxRegexProgramSize(1_000)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("output", SimpleType.STRING)
            .addVar("expected", SimpleType.STRING)
            .addVar("context", SimpleType.STRING)
            .addVar("input", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("metadata", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("latencyMs", SimpleType.INT)
            .addVar("cost", SimpleType.DOUBLE)
            .addVar("tokens", SimpleType.INT)
            .addVar("toolCalls", ListType.create(MapType.create(SimpleType.STRING, SimpleType.DYN)))
            .build();

    /** Parses and type-checks; throws {@link IllegalArgumentException} with CEL's message when invalid. */
    CodeCheck compile(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("config.cel must be a non-empty CEL expression");
        }
        if (expression.length() > MAX_EXPRESSION_CHARS) {
            throw new IllegalArgumentException("config.cel must have at most " + MAX_EXPRESSION_CHARS + " characters");
        }
        CelRuntime.Program program;
        try {
            CelValidationResult result = cel.compile(expression);
            if (result.hasError()) {
                throw new IllegalArgumentException("config.cel does not compile: " + result.getErrorString());
            }
            CelAbstractSyntaxTree ast = result.getAst();
            if (!RESULT_TYPES.contains(ast.getResultType())) {
                throw new IllegalArgumentException("config.cel must return a bool, a number or a string, not "
                        + ast.getResultType().name());
            }
            program = cel.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("config.cel does not compile: " + e.getMessage());
        }
        return input -> run(program, input);
    }

    private static CodeCheck.Result run(CelRuntime.Program program, EvalInput input) {
        Meter meter = new Meter(System.nanoTime() + TIMEOUT.toNanos());
        Object result;
        Map<String, Object> vars = variables(input);
        try {
            result = program.trace(vars, meter);
        } catch (CelEvaluationException e) {
            if (e.getMessage() != null && e.getMessage().contains("Iteration budget exceeded")) {
                throw new EvaluationException("CEL expression exceeded the iteration limit of " + MAX_ITERATIONS);
            }
            throw new EvaluationException(limitOr(e, "CEL evaluation failed: " + e.getMessage()));
        } catch (SandboxLimitException e) {
            throw new EvaluationException(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            throw new EvaluationException(limitOr(e, "CEL evaluation failed: " + e));
        }
        return switch (result) {
            case dev.cel.runtime.CelUnknownSet unknown -> throw new EvaluationException(
                    "the expression reads a field the example does not have (missing: "
                            + String.join(", ", VARIABLES.stream().filter(v -> !vars.containsKey(v)).toList()) + ")");
            case Boolean b -> CodeCheck.Result.of(b, "expression returned " + b);
            case Long l -> CodeCheck.Result.of(l.doubleValue(), "expression returned " + l);
            case Double d when Double.isFinite(d) -> CodeCheck.Result.of(d, "expression returned " + d);
            case com.google.common.primitives.UnsignedLong u ->
                    CodeCheck.Result.of(u.doubleValue(), "expression returned " + u);
            case String s -> new CodeCheck.Result(JudgmentValue.of(s), "expression returned \"" + s + "\"");
            default -> throw new EvaluationException("CEL expression returned " + describe(result)
                    + "; it must return a bool, a finite number or a string");
        };
    }

    private static String limitOr(Throwable e, String fallback) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SandboxLimitException) {
                return t.getMessage();
            }
        }
        return fallback;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    private static Map<String, Object> variables(EvalInput in) {
        Map<String, Object> vars = new HashMap<>();
        putText(vars, "output", in.output());
        putText(vars, "expected", in.expected());
        putText(vars, "context", in.context());
        vars.put("input", convert(in.inputOrEmpty()));
        vars.put("metadata", convert(in.metadataOrEmpty()));
        if (in.latencyMs() != null) {
            vars.put("latencyMs", in.latencyMs());
        }
        if (in.cost() != null) {
            vars.put("cost", in.cost());
        }
        if (in.tokens() != null) {
            vars.put("tokens", in.tokens());
        }
        List<Object> calls = new ArrayList<>();
        for (EvalInput.ToolCall call : in.toolCallsOrEmpty()) {
            Map<String, Object> c = new HashMap<>();
            c.put("name", call.name() == null ? "" : call.name());
            c.put("arguments", call.arguments() == null ? Map.of() : convert(call.arguments()));
            calls.add(c);
        }
        vars.put("toolCalls", calls);
        return vars;
    }

    private static void putText(Map<String, Object> vars, String name, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_TEXT_CHARS) {
            throw new EvaluationException(name + " is longer than the sandbox limit of " + MAX_TEXT_CHARS + " characters");
        }
        vars.put(name, value);
    }

    /** Plain JSON-like Java values in the types CEL expects (long, double, string, bool, list, map). */
    private static Object convert(Object value) {
        return switch (value) {
            case null -> dev.cel.common.values.NullValue.NULL_VALUE;
            case JsonNode node -> convert(Json.mapper().convertValue(node, Object.class));
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Long l -> l;
            case BigInteger b -> b.longValue();
            case Float f -> f.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case Double d -> d;
            case Boolean b -> b;
            case String s -> {
                if (s.length() > MAX_TEXT_CHARS) {
                    throw new EvaluationException("an input value is longer than the sandbox limit of "
                            + MAX_TEXT_CHARS + " characters");
                }
                yield s;
            }
            case Map<?, ?> map -> {
                Map<String, Object> out = new HashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), convert(v)));
                yield out;
            }
            case Collection<?> list -> list.stream().map(CelSandbox::convert).toList();
            default -> value.toString();
        };
    }

    /** Counts steps, approximate bytes of produced values, and wall-clock time, for every evaluated node. */
    private static final class Meter implements CelEvaluationListener {
        private final long deadline;
        private long steps;
        private long bytes;

        Meter(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public void callback(dev.cel.common.ast.CelExpr expr, Object value) {
            if (++steps > MAX_STEPS) {
                throw new SandboxLimitException("CEL expression exceeded the step limit of " + MAX_STEPS);
            }
            bytes += size(value);
            if (bytes > MAX_VALUE_BYTES) {
                throw new SandboxLimitException("CEL expression exceeded the memory limit of "
                        + MAX_VALUE_BYTES / (1024 * 1024) + " MB");
            }
            if ((steps & 255) == 0 && System.nanoTime() > deadline) {
                throw new SandboxLimitException("CEL expression exceeded the time limit of " + TIMEOUT.toMillis() + " ms");
            }
        }

        private static long size(Object value) {
            return switch (value) {
                case String s -> 16L + 2L * s.length();
                case Collection<?> c -> 16L + 8L * c.size();
                case Map<?, ?> m -> 16L + 32L * m.size();
                case com.google.protobuf.ByteString b -> 16L + b.size();
                case null, default -> 16L;
            };
        }
    }

    private static final class SandboxLimitException extends RuntimeException {
        SandboxLimitException(String message) {
            super(message, null, false, false);
        }
    }
}
