package dev.sextant.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.sextant.junit.Evaluation;
import dev.sextant.junit.SextantEvaluation;
import dev.sextant.junit.Threshold;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The sextant-junit extension run by JUnit's test kit on sample evaluation classes (nested, so that
 * Surefire does not run them by themselves) against a real server.
 */
class SextantJUnitExtensionTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        SdkExperimentsTest.seed(server.api());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Password questions get a short answer about passwords, shipping a long one; Canada crashes. */
    static String answer(String question) {
        if (question.contains("Canada")) {
            throw new IllegalStateException("the shipping service is down");
        }
        return question.contains("password") ? "Click Forgot password on the sign-in page."
                : "Standard shipping takes 3-5 business days; express takes 1-2 business days.";
    }

    static class StrictEvaluation {
        @SextantEvaluation(dataset = "support questions", evaluators = {"mentions-password", "short"},
                threshold = @Threshold(evaluator = "mentions-password", minPassRate = 0.9), concurrency = 2)
        Stream<DynamicNode> supportQuestions(Evaluation evaluation) {
            return evaluation.run(item -> answer(item.input("question")));
        }
    }

    static class TolerantEvaluation {
        @SextantEvaluation(dataset = "support questions", evaluators = {"mentions-password", "short"},
                threshold = {@Threshold(evaluator = "mentions-password", minPassRate = 0.7),
                        @Threshold(evaluator = "short", minPassRate = 0.75)})
        Stream<DynamicNode> supportQuestions(Evaluation evaluation) {
            return evaluation.run(item -> answer(item.input("question")));
        }
    }

    static class MeanOfAPassRateEvaluation {
        @SextantEvaluation(dataset = "support questions", evaluators = {"short"},
                threshold = @Threshold(evaluator = "short", minMean = 0.5))
        Stream<DynamicNode> supportQuestions(Evaluation evaluation) {
            return evaluation.run(item -> answer(item.input("question")));
        }
    }

    private static EngineExecutionResults run(Class<?> evaluation) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("sextant.url", server.url())
                .configurationParameter("sextant.apiKey", TestServer.API_KEY)
                .selectors(selectClass(evaluation)).execute();
    }

    private static Map<String, String> messages(Stream<Event> events) {
        return events.collect(Collectors.toMap(e -> e.getTestDescriptor().getDisplayName(),
                e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage)
                        .orElse("")));
    }

    @Test
    void eachItemIsATestThatFailsWithTheJudgesReasonsAndMissedThresholdsFailTheSummary() {
        EngineExecutionResults results = run(StrictEvaluation.class);

        assertThat(results.testEvents().started().count()).isEqualTo(6);
        assertThat(results.testEvents().succeeded().list()).extracting(e -> e.getTestDescriptor().getDisplayName())
                .containsExactlyInAnyOrder("[1] How do I reset my password?", "[2] I forgot my password",
                        "[4] Can I change my password twice?");
        Map<String, String> failed = messages(results.testEvents().failed().stream());
        assertThat(failed).containsOnlyKeys("[3] How long does shipping take?", "[5] Do you ship to Canada?",
                "thresholds");
        assertThat(failed.get("[3] How long does shipping take?"))
                .contains("mentions-password failed: ", "short failed: ", "output: Standard shipping takes", "trace: ");
        assertThat(failed.get("[5] Do you ship to Canada?"))
                .contains("the function failed", "IllegalStateException: the shipping service is down");
        assertThat(failed.get("thresholds")).contains("2 of 2 thresholds missed",
                "MISSED mentions-password: pass rate 75%", "required pass rate ≥ 90%",
                "MISSED short: pass rate 75%", "required pass rate ≥ 100%");
    }

    @Test
    void itemsFailingAnEvaluatorWhoseThresholdIsMetAreReportedAsToleratedAndTheSummaryPasses() {
        EngineExecutionResults results = run(TolerantEvaluation.class);

        assertThat(results.testEvents().succeeded().list()).extracting(e -> e.getTestDescriptor().getDisplayName())
                .contains("thresholds").hasSize(4);
        Map<String, String> aborted = messages(results.testEvents().aborted().stream());
        assertThat(aborted).containsOnlyKeys("[3] How long does shipping take?");
        assertThat(aborted.get("[3] How long does shipping take?")).startsWith("tolerated")
                .contains("mentions-password failed: ");
        // A crash is never tolerated.
        assertThat(messages(results.testEvents().failed().stream())).containsOnlyKeys("[5] Do you ship to Canada?");
    }

    @Test
    void aMinMeanOnAnEvaluatorThatReportsAPassRateIsMissedWithAHint() {
        EngineExecutionResults results = run(MeanOfAPassRateEvaluation.class);

        Map<String, String> failed = messages(results.testEvents().failed().stream());
        assertThat(failed.get("thresholds")).contains("MISSED short: pass rate 75%", "required mean ≥ 0.500",
                "this evaluator reports a pass rate: set minPassRate, not minMean");
    }

    @Test
    void withoutAServerTheEvaluationFailsWithAClearMessage() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("sextant.url", "http://127.0.0.1:9")
                .configurationParameter("sextant.apiKey", "sk-sx-none")
                .selectors(selectClass(StrictEvaluation.class)).execute();
        List<Event> failed = results.containerEvents().failed().list();
        assertThat(failed).hasSize(1);
        assertThat(failed.getFirst().getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .hasMessageContaining("cannot reach Sextant");
    }
}
