package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.evaluators.Evaluator;
import dev.sextant.server.evaluators.Judgment;
import dev.sextant.server.evaluators.JudgmentValue;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentDeleteTest {

    private static int count(TestServer server, String sql) {
        return server.services().database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    @Test
    void aDeletedExperimentTakesItsJudgmentsAndCommentsAndFreesItsDatasetButItsTracesStay() {
        try (TestServer server = ExperimentFixtures.seededServer(1)) {
            Http api = server.api();
            String kept = ExperimentFixtures.completed(api);
            String id = ExperimentFixtures.completed(api);
            String item = ExperimentFixtures.firstItem(api, id);
            assertThat(api.post("/api/comments", Map.of("targetType", "experiment_item", "targetId", item,
                    "body", "Invents a refund window.")).status()).isEqualTo(201);
            int scoresBefore = count(server, "SELECT COUNT(*) FROM scores WHERE target_type = 'experiment_item'");
            int traces = api.get("/api/traces?limit=200").json().path("data").size();
            assertThat(traces).isPositive();

            assertThat(api.delete("/api/experiments/" + id).status()).isEqualTo(204);
            assertThat(api.get("/api/experiments/" + id).status()).isEqualTo(404);
            assertThat(api.delete("/api/experiments/" + id).status()).isEqualTo(404);
            JsonNode listed = api.get("/api/experiments").json().path("data");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).path("id").asText()).isEqualTo(kept);
            assertThat(count(server, "SELECT COUNT(*) FROM scores WHERE target_type = 'experiment_item'"))
                    .as("the other experiment's judgments stay").isEqualTo(scoresBefore / 2);
            assertThat(count(server, "SELECT COUNT(*) FROM comments")).isZero();
            assertThat(count(server, "SELECT COUNT(*) FROM experiment_items")).isEqualTo(
                    api.get("/api/experiments/" + kept).json().path("experiment").path("runs").get(0)
                            .path("progress").path("total").asInt());
            assertThat(api.get("/api/traces?limit=200").json().path("data").size()).isEqualTo(traces);

            assertThat(api.delete("/api/datasets/faq").status()).as("still used by the other one").isEqualTo(409);
            assertThat(api.delete("/api/experiments/" + kept).status()).isEqualTo(204);
            assertThat(api.delete("/api/datasets/faq").status()).isEqualTo(204);
        }
    }

    @Test
    void aJudgmentThatFinishesAfterItsExperimentWasDeletedStoresNoScore() {
        try (TestServer server = ExperimentFixtures.seededServer(1)) {
            Http api = server.api();
            RunItem kept = awaitingJudgment(server, ExperimentFixtures.completed(api));
            String id = ExperimentFixtures.completed(api);
            RunItem deleted = awaitingJudgment(server, id);
            assertThat(api.delete("/api/experiments/" + id).status()).isEqualTo(204);

            // What a worker does when an evaluator call that was in flight at cancellation returns.
            judgeLate(server, kept);
            judgeLate(server, deleted);
            assertThat(count(server, "SELECT COUNT(*) FROM scores WHERE target_id = '" + kept.id() + "' AND "
                    + "reason = 'late'")).as("the control: a live item gets its score").isEqualTo(1);
            assertThat(count(server, "SELECT COUNT(*) FROM scores WHERE target_id = '" + deleted.id() + "'"))
                    .as("the deleted item's transaction found nothing to finish").isZero();
        }
    }

    /** The experiment's first item, put back to "answered, waiting for its evaluators". */
    private static RunItem awaitingJudgment(TestServer server, String experimentId) {
        String runId = ExperimentFixtures.firstRun(server.api(), experimentId).path("id").asText();
        RunItem item = server.services().experiments().items(server.project(), experimentId, runId, null, 1).data()
                .getFirst();
        server.services().database().jdbi().useHandle(h -> h.execute(
                "UPDATE experiment_items SET status = 'output' WHERE id = ?", item.id()));
        return item;
    }

    private static void judgeLate(TestServer server, RunItem item) {
        Evaluator answers = server.services().evaluators().get(server.project().id(), "answers", null);
        server.services().experiments().complete(server.project().id(), List.of(new ExperimentService.Completion(
                item, null, List.of(Map.entry(answers, Judgment.of(JudgmentValue.of(true), true, "late"))))));
    }

    @Test
    void aRunningExperimentMustBeCancelledFirstAndReviewedItemsKeepTheirExperiment() {
        try (TestServer server = ExperimentFixtures.seededServer(3_000)) {
            Http api = server.api();
            String running = ExperimentFixtures.startedOnProduction(api);
            Http.Response refused = api.delete("/api/experiments/" + running);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body()).contains("cancel it first");
            api.post("/api/experiments/" + running + "/cancel", Map.of());
            assertThat(api.delete("/api/experiments/" + running).status()).isEqualTo(204);
        }
        try (TestServer server = ExperimentFixtures.seededServer(1)) {
            Http api = server.api();
            String id = ExperimentFixtures.completed(api);
            assertThat(api.post("/api/evaluators", Map.of("name", "rubric", "kind", "human", "config",
                    Map.of("rubric", Map.of("instructions", "Judge like a support lead.", "questions", List.of(
                            Map.of("id", "correct", "text", "Correct?", "type", "boolean")))))).status())
                    .isEqualTo(201);
            assertThat(api.post("/api/review/queues", Map.of("name", "weekly",
                    "evaluators", List.of(Map.of("name", "rubric")))).status()).isEqualTo(201);
            Http.Response added = api.post("/api/review/queues/weekly/items", Map.of("targetType", "experiment_item",
                    "ids", List.of(ExperimentFixtures.firstItem(api, id))));
            assertThat(added.status()).as(added.body()).isIn(200, 201);

            Http.Response refused = api.delete("/api/experiments/" + id);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body()).contains("1 item of this experiment is in review queues")
                    .contains("remove the items from the queues first");
            assertThat(api.get("/api/experiments/" + id).status()).isEqualTo(200);

            WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            String base = "/p/" + server.project().slug() + "/experiments";
            assertThat(admin.http().get(base + "/" + id).body()).contains("Delete experiment");
            Http.Response viaPage = admin.http().send("POST", base + "/" + id + "/delete",
                    "application/x-www-form-urlencoded", WebSession.form(Map.of("_csrf", admin.csrf())));
            assertThat(viaPage.status()).isEqualTo(302);
            assertThat(admin.http().get(viaPage.header("Location")).body()).contains("in review queues");

            String queued = api.get("/api/review/queues/weekly/items").json().path("data").get(0).path("id").asText();
            assertThat(api.delete("/api/review/queues/weekly/items/" + queued).status()).isEqualTo(204);
            viaPage = admin.http().send("POST", base + "/" + id + "/delete",
                    "application/x-www-form-urlencoded", WebSession.form(Map.of("_csrf", admin.csrf())));
            assertThat(viaPage.header("Location")).startsWith(base + "?notice=");
            assertThat(admin.http().get(viaPage.header("Location")).body()).contains("Deleted experiment");
            assertThat(api.get("/api/experiments/" + id).status()).isEqualTo(404);
        }
    }
}
