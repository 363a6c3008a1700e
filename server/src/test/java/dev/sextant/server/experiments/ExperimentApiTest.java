package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.auth.Role;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExperimentApiTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anExperimentRunsEveryTargetOverEveryItemAndScoresIt(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect, ExperimentFixtures.simWithLatency(5))) {
            Http api = server.api();
            ExperimentFixtures.seed(api);
            JsonNode created = ExperimentFixtures.start(api, Map.of("dataset", "faq",
                    "targets", List.of(ExperimentFixtures.promptTarget("production", null),
                            ExperimentFixtures.promptTarget(null, 2)),
                    "evaluators", List.of("answers", Map.of("name", "short", "version", 1)),
                    "repetitions", 2, "concurrency", 4));
            String id = created.path("experiment").path("id").asText();
            assertThat(created.path("experiment").path("runs")).hasSize(2);
            assertThat(created.path("experiment").path("runs").get(0).path("label").asText())
                    .isEqualTo("answer@v1 · sim-1");
            assertThat(created.path("items")).as("no external target, no item list").isEmpty();

            JsonNode detail = ExperimentFixtures.awaitStatus(api, id, "completed");
            JsonNode run = detail.path("experiment").path("runs").get(0);
            assertThat(run.path("status").asText()).isEqualTo("completed");
            assertThat(run.path("progress").path("total").asInt()).isEqualTo(12);
            assertThat(run.path("progress").path("done").asInt()).isEqualTo(12);
            JsonNode card = detail.path("scorecards").get(0);
            JsonNode answers = card.path("criteria").get(0);
            assertThat(answers.path("name").asText()).isEqualTo("answers");
            assertThat(answers.path("kind").asText()).isEqualTo("pass_rate");
            assertThat(answers.path("estimate").asDouble()).isEqualTo(0.5);
            assertThat(answers.path("n").asInt()).isEqualTo(12);
            assertThat(answers.path("low").asDouble()).isLessThan(0.5);
            assertThat(answers.path("high").asDouble()).isGreaterThan(0.5);
            assertThat(answers.path("k").asInt()).isEqualTo(2);
            assertThat(answers.path("passAtK").asDouble()).isEqualTo(0.5);
            assertThat(answers.path("itemVariance").asDouble()).isZero();
            assertThat(card.path("latencyP50Ms").isNumber()).isTrue();
            assertThat(card.path("costUsd").asDouble()).isPositive();
            assertThat(card.path("errors").asInt()).isZero();

            String runId = run.path("id").asText();
            JsonNode page = api.get("/api/experiments/" + id + "/runs/" + runId + "/items?limit=5").json();
            assertThat(page.path("data")).hasSize(5);
            JsonNode item = page.path("data").get(0);
            assertThat(item.path("traceId").asText()).matches("[0-9a-f]{32}");
            assertThat(item.path("output").asText()).isNotBlank();
            assertThat(item.path("inputTokens").asInt()).isPositive();
            assertThat(item.path("judgments")).hasSize(2);
            assertThat(item.path("judgments").get(0).path("reason").asText()).isNotBlank();
            JsonNode rest = api.get("/api/experiments/" + id + "/runs/" + runId + "/items?limit=50&cursor="
                    + page.path("nextCursor").asText()).json();
            assertThat(rest.path("data")).hasSize(7);
            assertThat(rest.path("nextCursor").asText(null)).isNull();

            assertThat(api.get("/api/experiments").json().path("data").get(0).path("id").asText()).isEqualTo(id);
        }
    }

    @Test
    void comparingTwoRunsGivesDeltasWithVerdictsPerItemRowsAndParetoCharts() {
        try (TestServer server = ExperimentFixtures.seededServer(5)) {
            Http api = server.api();
            String id = ExperimentFixtures.start(api, Map.of("dataset", "faq",
                    "targets", List.of(ExperimentFixtures.promptTarget("production", null),
                            ExperimentFixtures.promptTarget(null, 2)),
                    "evaluators", List.of("answers", "short"))).path("experiment").path("id").asText();
            JsonNode runs = ExperimentFixtures.awaitStatus(api, id, "completed").path("experiment").path("runs");
            String a = runs.get(0).path("id").asText();
            String b = runs.get(1).path("id").asText();
            Http.Response compared = api.get("/api/experiments/compare?runs=" + a + "," + b);
            assertThat(compared.status()).as(compared.body()).isEqualTo(200);
            JsonNode body = compared.json();
            JsonNode deltas = body.path("comparison").path("deltas");
            assertThat(deltas).hasSize(2);
            assertThat(deltas.get(0).path("criterion").asText()).isEqualTo("answers");
            assertThat(deltas.get(0).path("pairedItems").asInt()).isEqualTo(6);
            assertThat(deltas.get(0).path("verdict").asText()).isEqualTo("no detectable difference");
            assertThat(body.path("comparison").path("items")).hasSize(6);
            assertThat(body.path("comparison").path("items").get(0).path("cells")).hasSize(2);
            assertThat(body.path("byCost").path("points")).hasSize(2);
            assertThat(body.path("byLatency").path("points")).hasSize(2);

            assertThat(api.get("/api/experiments/compare?runs=" + a).status()).isEqualTo(400);
            assertThat(api.get("/api/experiments/compare?runs=" + a + ",nope").status()).isEqualTo(404);
            assertThat(api.get("/api/experiments/compare?runs=" + a + "," + b + "&criterion=x").status())
                    .isEqualTo(400);
        }
    }

    @Test
    void anExternalTargetTakesPostedOutputsAndTheServerJudgesThem() {
        try (TestServer server = ExperimentFixtures.seededServer(5)) {
            Http api = server.api();
            JsonNode created = ExperimentFixtures.start(api, Map.of("dataset", "faq",
                    "targets", List.of(Map.of("type", "external", "name", "my app")), "evaluators", List.of("short")));
            String id = created.path("experiment").path("id").asText();
            String runId = created.path("experiment").path("runs").get(0).path("id").asText();
            JsonNode items = created.path("items");
            assertThat(items).hasSize(6);
            assertThat(items.get(0).path("input").path("question").asText()).isNotBlank();

            List<Map<String, Object>> outputs = new ArrayList<>();
            for (JsonNode item : items) {
                outputs.add(Map.of("itemId", item.path("itemId").asText(), "output", "x".repeat(
                        outputs.size() == 0 ? 700 : 20), "traceId", "0af7651916cd43dd8448eb211c80319c",
                        "latencyMs", 120, "costUsd", 0.001));
            }
            String path = "/api/experiments/" + id + "/runs/" + runId + "/outputs";
            assertThat(api.post(path, Map.of("outputs", List.of(Map.of("itemId", "nope", "output", "x")))).status())
                    .isEqualTo(422);
            assertThat(api.post(path, Map.of("outputs", List.of(Map.of("itemId", items.get(0).path("itemId")
                    .asText(), "output", "x", "traceId", "not-hex")))).status()).isEqualTo(422);
            Http.Response posted = api.post(path, Map.of("outputs", outputs));
            assertThat(posted.status()).as(posted.body()).isEqualTo(202);
            assertThat(posted.json().path("accepted").asInt()).isEqualTo(6);

            JsonNode detail = ExperimentFixtures.awaitStatus(api, id, "completed");
            JsonNode criterion = detail.path("scorecards").get(0).path("criteria").get(0);
            assertThat(criterion.path("n").asInt()).isEqualTo(6);
            assertThat(criterion.path("estimate").asDouble()).isCloseTo(5.0 / 6, org.assertj.core.api.Assertions
                    .within(1e-9));
            assertThat(detail.path("scorecards").get(0).path("costUsd").asDouble())
                    .isCloseTo(0.006, org.assertj.core.api.Assertions.within(1e-9));
            JsonNode first = api.get("/api/experiments/" + id + "/runs/" + runId + "/items").json().path("data").get(0);
            assertThat(first.path("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(api.post(path, Map.of("outputs", outputs)).status()).as("finished experiment").isEqualTo(409);
        }
    }

    @Test
    void aCancelledExperimentStopsAndCannotBeCancelledAgain() {
        try (TestServer server = ExperimentFixtures.seededServer(300)) {
            Http api = server.api();
            String id = ExperimentFixtures.start(api, Map.of("dataset", "faq",
                    "targets", List.of(ExperimentFixtures.promptTarget("production", null)),
                    "evaluators", List.of("short"), "repetitions", 5, "concurrency", 1))
                    .path("experiment").path("id").asText();
            Http.Response cancelled = api.post("/api/experiments/" + id + "/cancel", Map.of());
            assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
            assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
            assertThat(cancelled.json().path("runs").get(0).path("status").asText()).isEqualTo("cancelled");
            assertThat(api.post("/api/experiments/" + id + "/cancel", Map.of()).status()).isEqualTo(409);
            int done = api.get("/api/experiments/" + id).json().path("experiment").path("runs").get(0)
                    .path("progress").path("done").asInt();
            assertThat(done).as("at most the calls in flight finish").isLessThan(30);
        }
    }

    @Test
    void badRequestsAreRejectedWithClearErrors() {
        try (TestServer server = ExperimentFixtures.seededServer(5)) {
            Http api = server.api();
            List<Map<String, Object>> target = List.of(ExperimentFixtures.promptTarget("production", null));
            assertThat(api.post("/api/experiments", Map.of("targets", target)).errorCode()).isEqualTo("invalid");
            assertThat(api.post("/api/experiments", Map.of("dataset", "nope", "targets", target)).status())
                    .isEqualTo(422);
            assertThat(api.post("/api/experiments", Map.of("dataset", "faq", "targets", List.of())).status())
                    .isEqualTo(422);
            assertThat(api.post("/api/experiments", Map.of("dataset", "faq", "targets", target,
                    "evaluators", List.of("missing"))).status()).isEqualTo(422);
            assertThat(api.post("/api/experiments", Map.of("dataset", "faq", "targets",
                    List.of(ExperimentFixtures.promptTarget("no-such-label", null)))).status()).isEqualTo(422);
            assertThat(api.post("/api/experiments", Map.of("dataset", "faq", "targets", target,
                    "concurrency", 1000)).status()).isEqualTo(422);
            assertThat(api.post("/api/experiments", Map.of("dataset", "faq", "targets",
                    List.of(Map.of("type", "webhook")))).status()).isEqualTo(422);
            assertThat(api.get("/api/experiments/nope").status()).isEqualTo(404);
        }
    }

    @Test
    void viewersReadButDoNotStartAndOtherProjectsSeeNothing() {
        try (TestServer server = ExperimentFixtures.seededServer(5)) {
            Http api = server.api();
            String id = ExperimentFixtures.startedOnProduction(api);
            server.member(server.project(), Role.VIEWER, "viewer@test.local");
            Http viewer = WebSession.login(server.url(), "viewer@test.local", "password-viewer").http()
                    .withHeader("X-Sextant-Project", server.project().id());
            assertThat(viewer.get("/api/experiments/" + id).status()).isEqualTo(200);
            assertThat(viewer.post("/api/experiments", Map.of("dataset", "faq")).status()).isEqualTo(403);
            assertThat(viewer.post("/api/experiments/" + id + "/cancel", Map.of()).status()).isEqualTo(403);

            Project other = server.newProject("Other");
            Http otherApi = server.api().withKey(server.newKey(other, ApiKey.Kind.SECRET));
            assertThat(otherApi.get("/api/experiments/" + id).status()).isEqualTo(404);
            assertThat(otherApi.get("/api/experiments").json().path("data")).isEmpty();
            assertThat(otherApi.post("/api/experiments/" + id + "/cancel", Map.of()).status()).isEqualTo(404);
        }
    }
}
