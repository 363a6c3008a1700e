package dev.sextant.server.evaluators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmJudgeTest {
    private static final EvalInput EXAMPLE = new EvalInput("You can return it within 14 days.", "14 days",
            Map.of("question", "How long do I have to return shoes?"), "Returns are accepted for 14 days.",
            Map.of("audience", "customer"), null, null, null, null);

    private static Judgment judge(ScriptedJudgeModel model, String configJson, OutputType type, PassRule rule,
                                  EvalInput input) {
        EvaluatorRunner runner = new EvaluatorRunner(model);
        EvaluatorDefinition def = runner.prepare(new EvaluatorDefinition("return-policy", null, EvaluatorKind.LLM, type, rule,
                null, Json.read(configJson, JsonNode.class)));
        return runner.run("project-1", def, input);
    }

    private static Judgment judgeReply(String raw) {
        return judge(new ScriptedJudgeModel().reply(raw), "{\"preset\": \"answers-question\"}", null, null, EXAMPLE);
    }

    @Test
    void aWellFormedReplyWithReasoningFirstIsAJudgment() {
        ScriptedJudgeModel model = new ScriptedJudgeModel()
                .reply("{\"reasoning\": \"The user asked about the return window; the answer gives 14 days.\", "
                        + "\"verdict\": true}");
        Judgment j = judge(model, "{\"preset\": \"answers-question\", \"model\": {\"model\": \"judge-small\"}}",
                null, null, EXAMPLE);
        assertThat(j.error()).as(j.errorMessage()).isFalse();
        assertThat(j.value()).isEqualTo(JudgmentValue.of(true));
        assertThat(j.passed()).isTrue();
        assertThat(j.reason()).startsWith("The user asked");
        assertThat(j.cost()).isEqualTo(0.0003);

        List<JudgeModel.Message> sent = model.requests.getFirst();
        assertThat(sent.get(0).role()).isEqualTo("system");
        assertThat(sent.get(0).content()).contains("{\"reasoning\"", "\"verdict\": <true or false>");
        assertThat(sent.get(1).content()).contains("How long do I have to return shoes?",
                "You can return it within 14 days.").doesNotContain("{{");
        assertThat(model.configs.getFirst()).isEqualTo(new JudgeModel.ModelConfig(null, "judge-small", 0.0, null));
        // The gateway names the judge's trace after the evaluator.
        assertThat(model.callNames).containsExactly("judge: return-policy");
    }

    @Test
    void aFalseVerdictFailsAndAFencedReplyIsAccepted() {
        Judgment j = judgeReply("```json\n{\"reasoning\": \"It talks about shipping instead.\", \"verdict\": false}\n```");
        assertThat(j.error()).isFalse();
        assertThat(j.passed()).isFalse();
    }

    @Test
    void malformedMissingOrMisplacedVerdictsAreErrorsNeverPasses() {
        Map<String, String> cases = Map.of(
                "{\"reasoning\": \"fine\", \"verdict\": tru}", "malformed JSON",
                "{\"reasoning\": \"The answer is correct.\"}", "no \"verdict\"",
                "{\"reasoning\": \"ok\", \"verdict\": null}", "no \"verdict\"",
                "{\"verdict\": true, \"reasoning\": \"decided first, explained after\"}", "verdict before its reasoning",
                "{\"reasoning\": \"ok\", \"verdict\": \"true\"}", "not a JSON boolean",
                "{\"verdict\": true}", "no \"reasoning\"",
                "Verdict: PASS. The answer is fine.", "not a JSON object",
                "{\"reasoning\": \"a\", \"verdict\": true} {\"reasoning\": \"b\", \"verdict\": false}", "malformed JSON",
                "{\"reasoning\": \"a\", \"verdict\": true, \"verdict\": false}", "malformed JSON",
                "", "empty reply");
        cases.forEach((raw, message) -> {
            Judgment j = judgeReply(raw);
            assertThat(j.error()).as(raw).isTrue();
            assertThat(j.passed()).as(raw).isNull();
            assertThat(j.value()).as(raw).isNull();
            assertThat(j.errorMessage()).as(raw).contains(message);
        });
    }

    @Test
    void refusalsAreErrors() {
        for (String refusal : List.of("I'm sorry, but I can't help with evaluating this content.",
                "As an AI, I cannot make judgments about people.", "I won't assess this.")) {
            Judgment j = judgeReply(refusal);
            assertThat(j.error()).isTrue();
            assertThat(j.errorMessage()).contains("refused");
        }
    }

    @Test
    void numberAndCategoryVerdictsAreCheckedAgainstTheOutputType() {
        String config = "{\"template\": \"Rate the helpfulness of: {{output}}\"}";
        OutputType scale = OutputType.number(1.0, 5.0);
        Judgment four = judge(new ScriptedJudgeModel().reply("{\"reasoning\": \"helpful\", \"verdict\": 4}"),
                config, scale, PassRule.atLeast(4), EXAMPLE);
        assertThat(four.passed()).isTrue();
        Judgment outOfRange = judge(new ScriptedJudgeModel().reply("{\"reasoning\": \"great\", \"verdict\": 7}"),
                config, scale, PassRule.atLeast(4), EXAMPLE);
        assertThat(outOfRange.error()).isTrue();
        assertThat(outOfRange.errorMessage()).contains("outside the range");

        OutputType tones = OutputType.category(List.of("formal", "casual", "rude"));
        PassRule polite = PassRule.in(List.of("formal", "casual"));
        ScriptedJudgeModel model = new ScriptedJudgeModel().reply("{\"reasoning\": \"polite\", \"verdict\": \"formal\"}");
        Judgment formal = judge(model, config, tones, polite, EXAMPLE);
        assertThat(formal.value()).isEqualTo(JudgmentValue.of("formal"));
        assertThat(formal.passed()).isTrue();
        assertThat(model.requests.getFirst().getFirst().content()).contains("exactly one of \"formal\", \"casual\", \"rude\"");
        Judgment unknown = judge(new ScriptedJudgeModel().reply("{\"reasoning\": \"x\", \"verdict\": \"snarky\"}"),
                config, tones, polite, EXAMPLE);
        assertThat(unknown.error()).isTrue();
        assertThat(unknown.errorMessage()).contains("not one of");
    }

    @Test
    void templatesRenderEveryPlaceholderAndMissingValuesAreErrors() {
        ScriptedJudgeModel model = new ScriptedJudgeModel().reply("{\"reasoning\": \"ok\", \"verdict\": true}");
        judge(model, "{\"template\": \"Q={{input.question}} A={{output}} E={{expected}} C={{context}} "
                + "M={{ metadata.audience }} ALL={{input}}\"}", null, null, EXAMPLE);
        assertThat(model.requests.getFirst().get(1).content()).isEqualTo("Q=How long do I have to return shoes? "
                + "A=You can return it within 14 days. E=14 days C=Returns are accepted for 14 days. M=customer "
                + "ALL=How long do I have to return shoes?");

        ScriptedJudgeModel unused = new ScriptedJudgeModel();
        Judgment missing = judge(unused, "{\"preset\": \"contains-required-points\"}", null, null,
                EvalInput.ofOutput("no expected here"));
        assertThat(missing.error()).isTrue();
        assertThat(missing.errorMessage()).contains("{{expected}}");
        assertThat(unused.requests).isEmpty();
    }

    @Test
    void badTemplatesAreRejectedWhenTheJudgeIsDefined() {
        EvaluatorRunner runner = new EvaluatorRunner(new ScriptedJudgeModel());
        assertThatThrownBy(() -> runner.prepare(new EvaluatorDefinition("j", null, EvaluatorKind.LLM, null, null, null,
                Json.read("{\"template\": \"Is {{answer}} good?\"}", JsonNode.class))))
                .hasMessageContaining("unknown placeholder {{answer}}");
        assertThatThrownBy(() -> runner.prepare(new EvaluatorDefinition("j", null, EvaluatorKind.LLM, null, null, null,
                Json.read("{\"template\": \"no placeholders\"}", JsonNode.class)))).hasMessageContaining("at least one");
        assertThatThrownBy(() -> runner.prepare(new EvaluatorDefinition("j", null, EvaluatorKind.LLM, null, null, null,
                Json.read("{\"preset\": \"vibes\"}", JsonNode.class)))).hasMessageContaining("unknown judge preset");
    }

    @Test
    void presetsAreCopiedIntoTheVersionWithTheFieldsTheyRead() {
        EvaluatorRunner runner = new EvaluatorRunner(new ScriptedJudgeModel());
        EvaluatorDefinition def = runner.prepare(new EvaluatorDefinition("g", null, EvaluatorKind.LLM, null, null, null,
                Json.read("{\"preset\": \"grounded-in-context\"}", JsonNode.class)));
        assertThat(def.config().path("template").asText()).contains("{{context}}", "{{output}}");
        assertThat(def.reads()).containsExactlyInAnyOrder(Field.CONTEXT, Field.OUTPUT);
        assertThat(def.outputType()).isEqualTo(OutputType.bool());
        assertThat(def.passRule()).isEqualTo(PassRule.isTrue());
        assertThat(runner.presets()).hasSize(7);
    }

    @Test
    void aFailingModelCallIsAnError() {
        JudgeModel broken = (p, name, m, c) -> {
            throw new IllegalStateException("provider returned 503");
        };
        EvaluatorRunner runner = new EvaluatorRunner(broken);
        EvaluatorDefinition def = runner.prepare(new EvaluatorDefinition("j", null, EvaluatorKind.LLM, null, null, null,
                Json.read("{\"preset\": \"no-pii\"}", JsonNode.class)));
        Judgment j = runner.run("p", def, EXAMPLE);
        assertThat(j.error()).isTrue();
        assertThat(j.errorMessage()).contains("503");
    }

    @Test
    void pairwiseRunsBothOrdersAndReportsATieWhenTheyDisagree() {
        String outputA = "Returns are accepted within 14 days with a receipt.";
        String outputB = "Maybe, check the website.";
        ScriptedJudgeModel consistent = new ScriptedJudgeModel().reply(
                "{\"reasoning\": \"A is specific\", \"verdict\": \"A\"}",
                "{\"reasoning\": \"the second one (originally A) is specific\", \"verdict\": \"B\"}");
        PairwiseJudge.Result agreed = new PairwiseJudge(consistent).compare("p", null, null, EXAMPLE, outputA, outputB);
        assertThat(agreed.winner()).isEqualTo("A");
        assertThat(agreed.cost()).isEqualTo(0.0006);
        String firstPrompt = consistent.requests.get(0).get(1).content();
        String secondPrompt = consistent.requests.get(1).get(1).content();
        assertThat(firstPrompt.indexOf(outputA)).isLessThan(firstPrompt.indexOf(outputB));
        assertThat(secondPrompt.indexOf(outputB)).isLessThan(secondPrompt.indexOf(outputA));

        ScriptedJudgeModel positionBiased = new ScriptedJudgeModel().reply(
                "{\"reasoning\": \"the first is better\", \"verdict\": \"A\"}",
                "{\"reasoning\": \"the first is better\", \"verdict\": \"A\"}");
        PairwiseJudge.Result tie = new PairwiseJudge(positionBiased).compare("p", null, null, EXAMPLE, outputA, outputB);
        assertThat(tie.winner()).isEqualTo("tie");
        assertThat(tie.error()).isFalse();

        ScriptedJudgeModel broken = new ScriptedJudgeModel().reply("{\"reasoning\": \"ok\", \"verdict\": \"A\"}",
                "no idea");
        PairwiseJudge.Result error = new PairwiseJudge(broken).compare("p", null, null, EXAMPLE, outputA, outputB);
        assertThat(error.error()).isTrue();
        assertThat(error.winner()).isNull();
        assertThat(error.errorMessage()).contains("B-first order");
    }
}
