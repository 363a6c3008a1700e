package dev.sextant.server.evaluators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CelSandboxTest {
    private static final CelSandbox CEL = new CelSandbox();
    private static final String TEN = IntStream.range(0, 10).mapToObj(Integer::toString)
            .collect(Collectors.joining(", ", "[", "]"));

    private static CodeCheck.Result eval(String expression, EvalInput input) {
        return CEL.compile(expression).check(input);
    }

    @Test
    void expressionsSeeEveryInputField() {
        EvalInput input = new EvalInput("Hello Ada", "Hello", Map.of("name", "Ada", "n", 3), "ctx",
                Map.of("audience", "customer"), 420L, 0.002, 150L, List.of(new EvalInput.ToolCall("search",
                Json.read("{\"q\": \"weather\", \"limit\": 5}", JsonNode.class))));
        assertThat(eval("output.startsWith(expected) && output.contains(input.name) && input.n == 3", input).value())
                .isEqualTo(JudgmentValue.of(true));
        assertThat(eval("metadata.audience == 'customer' && context == 'ctx'", input).value())
                .isEqualTo(JudgmentValue.of(true));
        assertThat(eval("latencyMs < 500 && cost < 0.01 && tokens <= 150", input).value())
                .isEqualTo(JudgmentValue.of(true));
        assertThat(eval("toolCalls.exists(c, c.name == 'search' && c.arguments.limit == 5)", input).value())
                .isEqualTo(JudgmentValue.of(true));
        assertThat(eval("double(output.size()) / 100.0", input).value()).isEqualTo(JudgmentValue.of(0.09));
        assertThat(eval("output.matches('^Hello') ? 'greeting' : 'other'", input).value())
                .isEqualTo(JudgmentValue.of("greeting"));
    }

    @Test
    void compileErrorsAreReportedWhenTheEvaluatorIsDefined() {
        assertThatThrownBy(() -> CEL.compile("output.size( > 3")).hasMessageContaining("does not compile");
        assertThatThrownBy(() -> CEL.compile("unknownVar == 1")).hasMessageContaining("undeclared reference");
        assertThatThrownBy(() -> CEL.compile("[1, 2]")).hasMessageContaining("must return a bool, a number or a string");
        assertThatThrownBy(() -> CEL.compile("x".repeat(CelSandbox.MAX_EXPRESSION_CHARS + 1)))
                .hasMessageContaining("at most");
    }

    @Test
    void thereIsNoFileNetworkOrHostClassAccess() {
        for (String escape : List.of("readFile('/etc/passwd') != ''", "http.get('http://example.com') != ''",
                "java.lang.Runtime.getRuntime().exec('id') != null", "T(java.lang.System).exit(0) == 0",
                "import('os') == 1", "output.getClass().getName() == ''")) {
            assertThatThrownBy(() -> CEL.compile(escape)).as(escape)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not compile");
        }
    }

    @Test
    void runawayEvaluationIsStoppedByTheIterationLimit() {
        // CEL cannot loop forever; the closest thing is nested comprehensions, which the iteration budget stops.
        String nested = TEN + ".all(a, " + TEN + ".all(b, " + TEN + ".all(c, " + TEN + ".all(d, " + TEN
                + ".all(e, " + TEN + ".all(f, a + b + c + d + e + f >= 0))))))";
        assertThatThrownBy(() -> eval(nested, EvalInput.ofOutput("x")))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("iteration limit");
    }

    @Test
    void expensiveBodiesAreStoppedByTheStepLimit() {
        String body = "a";
        for (int depth = 0; depth < 8; depth++) {
            body = "(" + body + " + " + body.replace('a', 'b') + ")";
        }
        String heavy = TEN + ".all(a, " + TEN + ".all(b, " + TEN + ".all(c, " + body + " >= 0)))";
        assertThatThrownBy(() -> eval(heavy, EvalInput.ofOutput("x")))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("step limit");
    }

    @Test
    void hugeAllocationsAreStoppedByTheMemoryLimit() {
        String big = "y".repeat(100_000);
        String doubling = TEN + ".map(a, " + TEN + ".map(b, " + TEN + ".map(c, output + output + output))).size() > 0";
        assertThatThrownBy(() -> eval(doubling, EvalInput.ofOutput(big)))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("memory limit");
        assertThatThrownBy(() -> eval("output.size() > 0", EvalInput.ofOutput("z".repeat(CelSandbox.MAX_TEXT_CHARS + 1))))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("sandbox limit");
    }

    @Test
    void runtimeErrorsAreEvaluationErrors() {
        assertThatThrownBy(() -> eval("expected == 'a'", EvalInput.ofOutput("x")))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("expected");
        assertThatThrownBy(() -> eval("1 / (output.size() - 1) == 0", EvalInput.ofOutput("x")))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("by zero");
    }

    @Test
    void escapeAttemptsThroughTheApiFailSafelyAndTheServerCarriesOn() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            String nested = TEN + ".all(a, " + TEN + ".all(b, " + TEN + ".all(c, " + TEN + ".all(d, " + TEN
                    + ".all(e, " + TEN + ".all(f, a + b + c + d + e + f >= 0))))))";
            Http.Response runaway = api.post("/api/evaluators/try", Map.of(
                    "evaluator", Map.of("kind", "code", "config", Map.of("cel", nested)),
                    "example", Map.of("output", "x")));
            assertThat(runaway.status()).isEqualTo(200);
            assertThat(runaway.json().path("error").asBoolean()).isTrue();
            assertThat(runaway.json().path("errorMessage").asText()).contains("iteration limit");

            Http.Response file = api.post("/api/evaluators/try", Map.of(
                    "evaluator", Map.of("kind", "code", "config", Map.of("cel", "readFile('/etc/passwd') != ''")),
                    "example", Map.of("output", "x")));
            assertThat(file.status()).isEqualTo(422);
            assertThat(file.body()).contains("undeclared reference");

            assertThat(api.get("/api/evaluators").status()).isEqualTo(200);
            assertThat(server.anonymous().get("/health").status()).isEqualTo(200);
        }
    }
}
