package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.cli.Main;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class EvalCommandTest {
    private static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(Dialect.SQLITE, ExperimentFixtures.simWithLatency(5));
        ExperimentFixtures.seed(server.api());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private int eval(String... args) {
        List<String> all = new ArrayList<>(List.of("eval", "--server", server.url(), "--api-key", TestServer.API_KEY,
                "--dataset", "faq"));
        all.addAll(List.of(args));
        return Main.execute(all.toArray(String[]::new));
    }

    @Test
    void passesWhenEveryThresholdIsMetAndWritesJunitPerItemAndCriterion() throws Exception {
        Path junit = dir.resolve("out/junit.xml");
        Path md = dir.resolve("summary.md");
        int code = eval("--prompt", "answer@production", "--evaluators", "answers,short", "--threshold",
                "short=0.9", "--threshold", "answers=0.4", "--junit", junit.toString(), "--markdown", md.toString());
        assertThat(code).isZero();
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("12");
        assertThat(suite.getAttribute("failures")).isEqualTo("3");
        NodeList failures = suite.getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(3);
        assertThat(((Element) failures.item(0)).getAttribute("message")).contains("does not address the question");
        assertThat(((Element) failures.item(0).getParentNode()).getAttribute("classname")).isEqualTo("answers");
        assertThat(Files.readString(md)).contains("✅", "| answers | 50.0% |", "threshold short");
    }

    @Test
    void failsWithExitOneWhenAThresholdIsMissed() throws IOException {
        Path md = dir.resolve("summary.md");
        assertThat(eval("--prompt", "answer@1", "--evaluators", "answers", "--threshold", "answers=0.9",
                "--markdown", md.toString())).isEqualTo(1);
        assertThat(Files.readString(md)).contains("❌ threshold answers");
    }

    @Test
    void failsWithExitOneWhenTheBaselineComparisonSaysWorse() throws Exception {
        Path md = dir.resolve("summary.md");
        Path junit = dir.resolve("junit.xml");
        assertThat(eval("--prompt", "answer@3", "--evaluators", "answers", "--baseline", "production",
                "--markdown", md.toString(), "--junit", junit.toString())).isEqualTo(1);
        assertThat(Files.readString(md)).contains("| worse |", "❌ baseline answers");
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        Element gates = (Element) xml.getElementsByTagName("testsuite").item(1);
        assertThat(gates.getAttribute("name")).isEqualTo("gates");
        assertThat(gates.getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void comparesWithABaselineRunGivenByItsId() {
        String id = ExperimentFixtures.start(server.api(), java.util.Map.of("dataset", "faq",
                "targets", List.of(ExperimentFixtures.promptTarget("production", null)),
                "evaluators", List.of("answers"))).path("experiment").path("id").asText();
        String runId = ExperimentFixtures.awaitStatus(server.api(), id, "completed").path("experiment").path("runs")
                .get(0).path("id").asText();
        assertThat(eval("--prompt", "answer@3", "--evaluators", "answers", "--baseline", runId)).isEqualTo(1);
        assertThat(eval("--prompt", "answer@2", "--evaluators", "answers", "--baseline", runId)).isZero();
    }

    @Test
    void passesAgainstABaselineWithNoDetectableDifference() {
        assertThat(eval("--prompt", "answer@2", "--evaluators", "answers", "--baseline", "production")).isZero();
    }

    @Test
    void exitsWithTwoOnErrors() {
        assertThat(eval("--prompt", "answer@production", "--dataset", "no-such-dataset")).isEqualTo(2);
        assertThat(eval("--prompt", "no-version-given")).isEqualTo(2);
        assertThat(Main.execute("eval", "--server", "http://127.0.0.1:1", "--api-key", TestServer.API_KEY,
                "--dataset", "faq", "--prompt", "answer@production")).isEqualTo(2);
        assertThat(eval("--prompt", "answer@production", "--evaluators", "answers", "--threshold", "nope=0.5"))
                .as("a threshold on a criterion that was not run is a failed gate").isEqualTo(1);
    }

    @Test
    void runsEmbeddedFromRepositoryFilesWithoutAServer() throws Exception {
        Files.writeString(dir.resolve("faq.jsonl"), """
                {"input": {"question": "How do I reset my password?"}, "expectedOutput": "Use Forgot password."}
                {"input": {"question": "How long does shipping take?"}, "expectedOutput": "3-5 days."}
                """, StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("prompts/support"));
        Files.writeString(dir.resolve("prompts/support/answer.prompt"), """
                ---
                model: {provider: sim, name: sim-1}
                labels: [production]
                ---
                @user
                {{question}}
                """, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("evaluators.json"), """
                [{"name": "answers", "kind": "llm", "config": {"preset": "answers-question"}},
                 {"name": "short", "kind": "code", "config": {"builtin": "length", "params": {"max": 600}}}]
                """, StandardCharsets.UTF_8);
        Path junit = dir.resolve("junit.xml");
        int code = Main.execute("eval", "--embedded", "--dataset-file", dir.resolve("faq.jsonl").toString(),
                "--prompt-dir", dir.resolve("prompts").toString(), "--evaluators-file",
                dir.resolve("evaluators.json").toString(), "--prompt", "support/answer@production",
                "--evaluators", "answers,short", "--threshold", "answers=1.0", "--junit", junit.toString());
        assertThat(code).isZero();
        assertThat(Files.readString(junit)).contains("tests=\"4\"", "failures=\"0\"");
    }
}
