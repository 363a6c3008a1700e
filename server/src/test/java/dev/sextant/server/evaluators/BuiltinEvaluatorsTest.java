package dev.sextant.server.evaluators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinEvaluatorsTest {
    private static final EvaluatorRunner RUNNER = new EvaluatorRunner(JudgeModel.unavailable());

    static Judgment run(String builtin, String params, EvalInput input) {
        return RUNNER.run("p", prepare(builtin, params), input);
    }

    static EvaluatorDefinition prepare(String builtin, String params) {
        JsonNode config = Json.read("{\"builtin\": \"" + builtin + "\", \"params\": " + params + "}", JsonNode.class);
        return RUNNER.prepare(new EvaluatorDefinition("t", null, EvaluatorKind.CODE, null, null, null, config));
    }

    static EvalInput out(String output) {
        return EvalInput.ofOutput(output);
    }

    private static void passes(String builtin, String params, EvalInput input) {
        Judgment j = run(builtin, params, input);
        assertThat(j.error()).as("error: %s", j.errorMessage()).isFalse();
        assertThat(j.passed()).as("%s %s on %s: %s", builtin, params, input.output(), j.reason()).isTrue();
    }

    private static void fails(String builtin, String params, EvalInput input) {
        Judgment j = run(builtin, params, input);
        assertThat(j.error()).as("error: %s", j.errorMessage()).isFalse();
        assertThat(j.passed()).as("%s %s on %s: %s", builtin, params, input.output(), j.reason()).isFalse();
    }

    @Test
    void equalsComparesWithTheExpectedOutputOrAFixedValue() {
        passes("equals", "{}", out(" Paris ").withExpected("Paris"));
        fails("equals", "{}", out("paris").withExpected("Paris"));
        passes("equals", "{\"caseSensitive\": false}", out("paris").withExpected("Paris"));
        passes("equals", "{\"value\": \"42\"}", out("42"));
        fails("equals", "{\"value\": \"42\", \"trim\": false}", out("42 "));
    }

    @Test
    void containsFamilyHonoursTheCaseOption() {
        passes("contains", "{\"value\": \"refund\"}", out("You get a refund."));
        fails("contains", "{\"value\": \"Refund\"}", out("You get a refund."));
        passes("contains", "{\"value\": \"Refund\", \"caseSensitive\": false}", out("You get a refund."));
        passes("contains-any", "{\"values\": [\"sorry\", \"apologize\"]}", out("We apologize."));
        fails("contains-any", "{\"values\": [\"sorry\", \"apologize\"]}", out("Too bad."));
        passes("contains-all", "{\"values\": [\"price\", \"date\"]}", out("The price and the date."));
        Judgment missing = run("contains-all", "{\"values\": [\"price\", \"date\"]}", out("The price."));
        assertThat(missing.passed()).isFalse();
        assertThat(missing.reason()).contains("[date]");
    }

    @Test
    void everyBuiltinCanBeNegatedByPrefixOrFlag() {
        fails("not-contains", "{\"value\": \"refund\"}", out("You get a refund."));
        passes("not-contains", "{\"value\": \"refund\"}", out("No money back."));
        JsonNode config = Json.read("{\"builtin\": \"contains\", \"negate\": true, \"params\": {\"value\": \"x\"}}",
                JsonNode.class);
        EvaluatorDefinition flagged = RUNNER.prepare(new EvaluatorDefinition("t", null, EvaluatorKind.CODE, null, null,
                null, config));
        assertThat(RUNNER.run("p", flagged, out("abc")).passed()).isTrue();
        assertThat(prepare("not-contains", "{\"value\": \"x\"}").config().path("negate").asBoolean()).isTrue();
        // A negated metric keeps its value and inverts the pass: "not similar to the canned answer".
        Judgment notSimilar = run("not-levenshtein", "{\"threshold\": 0.8}", out("completely different").withExpected("abc"));
        assertThat(notSimilar.passed()).isTrue();
        assertThat(((JudgmentValue.Num) notSimilar.value()).value()).isLessThan(0.5);
    }

    @Test
    void regexStartsWithAndLength() {
        passes("regex", "{\"pattern\": \"\\\\b[A-Z]{2}-\\\\d{4}\\\\b\"}", out("Your ticket is AB-1234."));
        fails("regex", "{\"pattern\": \"^\\\\d+$\"}", out("12a"));
        passes("regex", "{\"pattern\": \"hello\", \"caseSensitive\": false}", out("HELLO"));
        passes("starts-with", "{\"value\": \"Dear\"}", out("  Dear customer"));
        fails("starts-with", "{\"value\": \"Dear\"}", out("Hi customer"));
        passes("length", "{\"min\": 2, \"max\": 5}", out("abcd"));
        fails("length", "{\"max\": 3}", out("abcd"));
        passes("length", "{\"min\": 3, \"unit\": \"words\"}", out("one two three"));
        fails("length", "{\"min\": 4, \"unit\": \"words\"}", out("one two three"));
    }

    @Test
    void isJsonAndJsonSchema() {
        passes("is-json", "{}", out("{\"a\": 1}"));
        passes("is-json", "{}", out("[1, 2]"));
        fails("is-json", "{}", out("{\"a\": 1} trailing"));
        fails("is-json", "{}", out(""));
        fails("is-json", "{\"type\": \"object\"}", out("[1]"));
        String schema = "{\"schema\": {\"type\": \"object\", \"required\": [\"answer\"], "
                + "\"properties\": {\"answer\": {\"type\": \"string\"}}}}";
        passes("json-schema", schema, out("{\"answer\": \"yes\"}"));
        Judgment wrongType = run("json-schema", schema, out("{\"answer\": 3}"));
        assertThat(wrongType.passed()).isFalse();
        assertThat(wrongType.reason()).contains("answer");
        fails("json-schema", schema, out("not json"));
        String declared = "{\"schema\": {\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", "
                + "\"type\": \"array\", \"items\": {\"type\": \"integer\"}}}";
        passes("json-schema", declared, out("[1, 2, 3]"));
        fails("json-schema", declared, out("[1, \"two\"]"));
    }

    @Test
    void jsonSchemaNeverFetchesRemoteReferences() {
        String schema = "{\"schema\": {\"$ref\": \"http://127.0.0.1:9/schema.json\"}}";
        Judgment j = run("json-schema", schema, out("{}"));
        assertThat(j.passed()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void levenshteinRougeAndBleuMatchKnownValues() {
        Judgment lev = run("levenshtein", "{\"threshold\": 0.5}", out("kitten").withExpected("sitting"));
        // distance 3 over 7 characters
        assertThat(((JudgmentValue.Num) lev.value()).value()).isCloseTo(1 - 3.0 / 7, within(1e-9));
        assertThat(lev.passed()).isTrue();
        fails("levenshtein", "{\"threshold\": 0.9}", out("kitten").withExpected("sitting"));

        // LCS 5 of 5 candidate and 6 reference tokens: P = 1, R = 5/6, F = 10/11
        Judgment rouge = run("rouge-l", "{}", out("the cat on the mat").withExpected("the cat sat on the mat"));
        assertThat(((JudgmentValue.Num) rouge.value()).value()).isCloseTo(10.0 / 11, within(1e-9));
        assertThat(rouge.passed()).isTrue();
        fails("rouge-l", "{}", out("a dog barked").withExpected("the cat sat on the mat"));

        // Reference values from NLTK 3.10 sentence_bleu (method2 = our add-one smoothing).
        assertThat(TextMetrics.bleu("the quick brown fox jumped over the lazy dog",
                "the quick brown fox jumps over the lazy dog", 4, false)).isCloseTo(0.5969491792019646, within(1e-9));
        assertThat(TextMetrics.bleu("the fast brown fox jumps over the dog",
                "the quick brown fox jumps over the lazy dog", 4, false)).isCloseTo(0.4962644776757998, within(1e-9));
        assertThat(TextMetrics.bleu("the cat is on the mat", "the cat sat on the mat", 4, false)).isZero();
        assertThat(TextMetrics.bleu("the cat is on the mat", "the cat sat on the mat", 4, true))
                .isCloseTo(0.48549177170732344, within(1e-9));
        passes("bleu", "{\"threshold\": 0.4}", out("the cat is on the mat").withExpected("the cat sat on the mat"));
        fails("bleu", "{\"threshold\": 0.4, \"smoothing\": \"none\"}",
                out("the cat is on the mat").withExpected("the cat sat on the mat"));
    }

    @Test
    void semanticSimilarityUsesTheEmbeddedModel() {
        EvalInput close = out("The parcel will arrive tomorrow morning.")
                .withExpected("Your package is delivered tomorrow before noon.");
        EvalInput far = out("Our office cafeteria serves pasta on Fridays.")
                .withExpected("Your package is delivered tomorrow before noon.");
        Judgment near = run("semantic-similarity", "{\"threshold\": 0.5}", close);
        Judgment distant = run("semantic-similarity", "{\"threshold\": 0.5}", far);
        assertThat(near.passed()).as(near.reason()).isTrue();
        assertThat(distant.passed()).as(distant.reason()).isFalse();
        assertThat(((JudgmentValue.Num) near.value()).value()).isGreaterThan(((JudgmentValue.Num) distant.value()).value());
    }

    @Test
    void latencyCostAndTokenLimits() {
        EvalInput measured = new EvalInput("ok", null, null, null, null, 1200L, 0.004, 800L, null);
        passes("max-latency", "{\"max\": 2000}", measured);
        fails("max-latency", "{\"max\": 1000}", measured);
        passes("max-cost", "{\"max\": 0.01}", measured);
        fails("max-cost", "{\"max\": 0.001}", measured);
        passes("max-tokens", "{\"max\": 800}", measured);
        fails("max-tokens", "{\"max\": 799}", measured);
        Judgment unknown = run("max-latency", "{\"max\": 10}", out("ok"));
        assertThat(unknown.error()).isTrue();
        assertThat(unknown.errorMessage()).contains("no latency");
    }

    @Test
    void toolCallChecksTheToolAndItsArguments() {
        String params = "{\"tool\": \"get_weather\", \"argumentsSchema\": {\"type\": \"object\", \"required\": [\"city\"], "
                + "\"properties\": {\"city\": {\"type\": \"string\"}}}}";
        EvalInput good = new EvalInput(null, null, null, null, null, null, null, null, List.of(
                new EvalInput.ToolCall("search", Json.read("{}", JsonNode.class)),
                new EvalInput.ToolCall("get_weather", Json.read("{\"city\": \"Oslo\"}", JsonNode.class))));
        EvalInput badArgs = new EvalInput(null, null, null, null, null, null, null, null, List.of(
                new EvalInput.ToolCall("get_weather", Json.read("{\"town\": \"Oslo\"}", JsonNode.class))));
        EvalInput notCalled = new EvalInput(null, null, null, null, null, null, null, null, List.of());
        passes("tool-call", params, good);
        fails("tool-call", params, badArgs);
        fails("tool-call", params, notCalled);
        passes("tool-call", "{\"tool\": \"get_weather\"}", badArgs);
    }

    @Test
    void missingFieldsAreErrorsNotFailures() {
        Judgment noExpected = run("equals", "{}", out("x"));
        assertThat(noExpected.error()).isTrue();
        assertThat(noExpected.passed()).isNull();
        assertThat(run("contains", "{\"value\": \"a\"}", out(null)).errorMessage()).contains("no output");
    }

    @Test
    void badParametersAreRejectedWhenTheEvaluatorIsDefined() {
        assertThatThrownBy(() -> prepare("contains", "{}")).hasMessageContaining("params.value");
        assertThatThrownBy(() -> prepare("regex", "{\"pattern\": \"(\"}")).hasMessageContaining("RE2");
        assertThatThrownBy(() -> prepare("json-schema", "{\"schema\": 3}")).hasMessageContaining("params.schema");
        assertThatThrownBy(() -> prepare("length", "{}")).hasMessageContaining("min or params.max");
        assertThatThrownBy(() -> prepare("bleu", "{\"maxN\": 0}")).hasMessageContaining("maxN");
        assertThatThrownBy(() -> prepare("levenshtein", "{\"threshold\": 3}")).hasMessageContaining("threshold");
        assertThatThrownBy(() -> prepare("nope", "{}")).hasMessageContaining("unknown built-in");
    }

    @Test
    void numberBuiltinsTakeTheirThresholdAsThePassRule() {
        EvaluatorDefinition def = prepare("rouge-l", "{\"threshold\": 0.7}");
        assertThat(def.outputType()).isEqualTo(OutputType.number(0.0, 1.0));
        assertThat(def.passRule()).isEqualTo(PassRule.atLeast(0.7));
        assertThat(def.reads()).containsExactly(Field.OUTPUT, Field.EXPECTED);
        assertThat(prepare("contains", "{\"value\": \"a\"}").passRule()).isEqualTo(PassRule.isTrue());
    }
}
