package dev.sextant.server.review;

import static dev.sextant.server.review.ReviewFixtures.answers;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReviewApiTest {

    private static Http setUp(TestServer server, int traces) {
        Http api = server.api();
        ReviewFixtures.rubric(api);
        ReviewFixtures.judge(api);
        ReviewFixtures.traces(api, traces);
        return api;
    }

    /** A queue holding the first {@code traces} traces. */
    private static Http queueOfTraces(TestServer server, String queue, int reviewersPerItem, int traces) {
        Http api = setUp(server, traces);
        ReviewFixtures.queue(api, queue, reviewersPerItem);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < traces; i++) {
            ids.add(ReviewFixtures.traceId(i));
        }
        assertThat(api.post("/api/review/queues/" + queue + "/items", Map.of("ids", ids)).json().path("added")
                .asInt()).isEqualTo(traces);
        return api;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aReviewerTakesItemsOneAtATimeAndTheirAnswersBecomeHumanScores(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = setUp(server, 3);
            assertThat(ReviewFixtures.queue(api, "weekly", 1).status()).isEqualTo(201);
            Http.Response added = api.post("/api/review/queues/weekly/items", Map.of("targetType", "trace",
                    "ids", List.of(ReviewFixtures.traceId(0), ReviewFixtures.traceId(1), ReviewFixtures.traceId(2),
                            ReviewFixtures.traceId(0).toUpperCase())));
            assertThat(added.json().path("added").asInt()).as(added.body()).isEqualTo(3);

            JsonNode first = api.post("/api/review/queues/weekly/next", Map.of()).json();
            assertThat(first.path("item").path("targetId").asText()).isEqualTo(ReviewFixtures.traceId(0));
            assertThat(first.path("input").asText()).contains("Question 0");
            assertThat(first.path("output").asText()).contains("Answer 0");
            // Asking again resumes the item already held.
            assertThat(api.post("/api/review/queues/weekly/next", Map.of()).json().path("item").path("id").asText())
                    .isEqualTo(first.path("item").path("id").asText());

            String itemId = first.path("item").path("id").asText();
            Http.Response reviewed = api.post("/api/review/queues/weekly/items/" + itemId + "/review",
                    answers(false, 2));
            assertThat(reviewed.status()).as(reviewed.body()).isEqualTo(200);
            assertThat(reviewed.json().path("item").path("done").asBoolean()).isTrue();
            JsonNode score = api.get("/api/scores?targetType=trace&targetId=" + ReviewFixtures.traceId(0)).json()
                    .path("data").get(0);
            assertThat(score.path("name").asText()).isIn(ReviewFixtures.RUBRIC, "");
            assertThat(score.path("source").asText()).isEqualTo("human");
            assertThat(score.path("value").asBoolean()).isFalse();
            assertThat(score.path("passed").asBoolean()).isFalse();
            assertThat(score.path("author").asText()).startsWith("key ");
            assertThat(score.path("reason").asText()).contains("helpful: 2");

            JsonNode queue = api.get("/api/review/queues/weekly").json();
            assertThat(queue.path("progress").path("items").asInt()).isEqualTo(3);
            assertThat(queue.path("progress").path("done").asInt()).isEqualTo(1);
            assertThat(queue.path("progress").path("reviewers").get(0).path("reviewed").asInt()).isEqualTo(1);
            assertThat(api.get("/api/review/queues/weekly/items?status=open").json().path("data")).hasSize(2);
            assertThat(api.get("/api/review/queues").json().path("data").get(0).path("queue").path("name").asText())
                    .isEqualTo("weekly");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aSpanIsQueuedAsTraceColonSpanAndReviewedInItsTrace(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = setUp(server, 2);
            ReviewFixtures.queue(api, "spans", 1);
            String items = "/api/review/queues/spans/items";
            String spanId = ReviewFixtures.llmSpanId(1);
            // A span id is unique only within its trace, so a span alone is not enough to find it.
            Http.Response alone = api.post(items, Map.of("targetType", "span", "ids", List.of(spanId)));
            assertThat(alone.status()).isEqualTo(422);
            assertThat(alone.json().path("error").path("message").asText()).contains("<traceId>:<spanId>");
            String elsewhere = ReviewFixtures.traceId(0) + ":" + spanId;
            Http.Response missing = api.post(items, Map.of("targetType", "span", "ids", List.of(elsewhere)));
            assertThat(missing.status()).isEqualTo(422);
            assertThat(missing.json().path("error").path("message").asText()).contains("no span with id " + elsewhere);

            String target = ReviewFixtures.traceId(1) + ":" + spanId;
            Http.Response added = api.post(items, Map.of("targetType", "span", "ids", List.of(target,
                    target.toUpperCase())));
            assertThat(added.json().path("added").asInt()).as(added.body()).isEqualTo(1);
            JsonNode next = api.post("/api/review/queues/spans/next", Map.of()).json();
            assertThat(next.path("item").path("targetType").asText()).isEqualTo("span");
            assertThat(next.path("item").path("targetId").asText()).isEqualTo(spanId);
            assertThat(next.path("item").path("traceId").asText()).isEqualTo(ReviewFixtures.traceId(1));
            assertThat(next.path("input").toString()).contains("Question 1");

            String itemId = next.path("item").path("id").asText();
            assertThat(api.post(items + "/" + itemId + "/review", answers(true, 5)).status()).isEqualTo(200);
            assertThat(api.get("/api/scores?targetType=span&targetId=" + spanId).json().path("data").get(0)
                    .path("source").asText()).isEqualTo("human");
            // A judge that disagrees on the span: the disagreement links to the span's trace.
            assertThat(api.post("/api/scores", Map.of("targetType", "span", "targetId", spanId, "name",
                    ReviewFixtures.JUDGE, "value", false, "source", "llm")).status()).isEqualTo(201);
            JsonNode disagreement = api.get("/api/evaluators/" + ReviewFixtures.JUDGE + "/calibration").json()
                    .path("disagreements").get(0);
            assertThat(disagreement.path("targetId").asText()).isEqualTo(spanId);
            assertThat(disagreement.path("traceId").asText()).isEqualTo(ReviewFixtures.traceId(1));
            WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            assertThat(admin.http().get("/p/" + server.project().slug() + "/review/spans").body())
                    .contains("/traces/" + ReviewFixtures.traceId(1) + "?span=" + spanId);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anItemNeedsNReviewsAndNoReviewerGetsTheSameItemTwice(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = queueOfTraces(server, "double", 2, 2);
            Http alice = server.api().withKey(server.newKey(server.project(), ApiKey.Kind.SECRET));
            Http bob = server.api().withKey(server.newKey(server.project(), ApiKey.Kind.SECRET));

            List<String> aliceItems = reviewAll(alice, "double");
            assertThat(aliceItems).hasSize(2).doesNotHaveDuplicates();
            assertThat(api.get("/api/review/queues/double").json().path("progress").path("done").asInt()).isZero();
            List<String> bobItems = reviewAll(bob, "double");
            assertThat(bobItems).containsExactlyInAnyOrderElementsOf(aliceItems);
            JsonNode progress = api.get("/api/review/queues/double").json().path("progress");
            assertThat(progress.path("done").asInt()).isEqualTo(2);
            assertThat(progress.path("reviews").asInt()).isEqualTo(4);
            assertThat(progress.path("reviewers")).hasSize(2);
            assertThat(api.get("/api/scores?targetType=trace&targetId=" + ReviewFixtures.traceId(0)).json()
                    .path("data")).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anItemCanBeRemovedFromAQueueWhileTheScoresOfItsReviewsStay(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = queueOfTraces(server, "weekly", 1, 3);
            String reviewed = api.post("/api/review/queues/weekly/next", Map.of()).json().path("item").path("id")
                    .asText();
            assertThat(api.post("/api/review/queues/weekly/items/" + reviewed + "/review", answers(true, 4))
                    .status()).isEqualTo(200);
            String open = api.get("/api/review/queues/weekly/items?status=open").json().path("data").get(0)
                    .path("id").asText();

            assertThat(api.delete("/api/review/queues/weekly/items/" + reviewed).status()).isEqualTo(204);
            assertThat(api.delete("/api/review/queues/weekly/items/" + open).status()).isEqualTo(204);

            JsonNode progress = api.get("/api/review/queues/weekly").json().path("progress");
            assertThat(progress.path("items").asInt()).isEqualTo(1);
            assertThat(progress.path("done").asInt()).isZero();
            assertThat(progress.path("reviews").asInt()).isZero();
            assertThat(api.get("/api/review/queues/weekly/items").json().path("data").findValuesAsText("id"))
                    .doesNotContain(reviewed, open).hasSize(1);
            // The reviewer's judgment is a score of the trace, not part of the queue.
            assertThat(api.get("/api/scores?targetType=trace&targetId=" + ReviewFixtures.traceId(0)).json()
                    .path("data")).hasSize(1);
            assertThat(api.get("/api/audit").json().path("data").findValuesAsText("action"))
                    .contains("review.item.remove");
            // Gone for good: it can be queued again, and a second removal finds nothing.
            assertThat(api.post("/api/review/queues/weekly/items", Map.of("ids", List.of(ReviewFixtures.traceId(0))))
                    .json().path("added").asInt()).isEqualTo(1);
            assertThat(api.delete("/api/review/queues/weekly/items/" + reviewed).status()).isEqualTo(404);
            assertThat(api.delete("/api/review/queues/nope/items/" + open).status()).isEqualTo(404);
        }
    }

    private static List<String> reviewAll(Http reviewer, String queue) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Http.Response next = reviewer.post("/api/review/queues/" + queue + "/next", Map.of());
            if (next.status() == 204) {
                return items;
            }
            String id = next.json().path("item").path("id").asText();
            items.add(id);
            Http.Response r = reviewer.post("/api/review/queues/" + queue + "/items/" + id + "/review",
                    answers(true, 4));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(reviewer.post("/api/review/queues/" + queue + "/items/" + id + "/review", answers(true, 4))
                    .status()).isEqualTo(409);
        }
        throw new AssertionError("the queue never ran out");
    }

    @Test
    void aSkippedItemGoesToTheNextReviewerButNotBackToTheOneWhoSkippedIt() {
        try (TestServer server = TestServer.start()) {
            Http api = queueOfTraces(server, "skips", 1, 2);
            String first = api.post("/api/review/queues/skips/next", Map.of()).json().path("item").path("id").asText();
            JsonNode skipped = api.post("/api/review/queues/skips/items/" + first + "/skip", Map.of()).json();
            assertThat(skipped.path("reviews").asInt()).isZero();
            assertThat(skipped.has("lockedBy")).isFalse();
            String second = api.post("/api/review/queues/skips/next", Map.of()).json().path("item").path("id").asText();
            assertThat(second).isNotEqualTo(first);
            api.post("/api/review/queues/skips/items/" + second + "/review", answers(true, 5));
            assertThat(api.post("/api/review/queues/skips/next", Map.of()).status()).isEqualTo(204);

            Http other = server.api().withKey(server.newKey(server.project(), ApiKey.Kind.SECRET));
            assertThat(other.post("/api/review/queues/skips/next", Map.of()).json().path("item").path("id").asText())
                    .isEqualTo(first);
            assertThat(api.get("/api/review/queues/skips").json().path("progress").path("reviewers"))
                    .anySatisfy(r -> assertThat(r.path("skipped").asInt()).isEqualTo(1));
        }
    }

    @Test
    void allTracesMatchingAFilterCanBeAddedAtOnce() {
        try (TestServer server = TestServer.start()) {
            Http api = setUp(server, 3);
            ReviewFixtures.traces(api, "billing-turn", 10, 2, java.time.Instant.parse("2026-11-02T10:00:00Z"));
            ReviewFixtures.queue(api, "billing", 1);
            Http.Response added = api.post("/api/review/queues/billing/items",
                    Map.of("filter", Map.of("name", "billing-turn")));
            assertThat(added.json().path("added").asInt()).as(added.body()).isEqualTo(2);
            assertThat(api.post("/api/review/queues/billing/items", Map.of("filter", Map.of("name", "billing-turn")))
                    .json().path("added").asInt()).isZero();
            assertThat(api.post("/api/review/queues/billing/items", Map.of("filter", Map.of("colour", "red")))
                    .status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues/billing/items", Map.of("filter", Map.of("name", "nothing")))
                    .status()).isEqualTo(422);
        }
    }

    @Test
    void aSamplingRuleAddsItsShareOfNewTracesWithTheGivenNameIncludingLateArrivals() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            ReviewFixtures.rubric(api);
            Http.Response created = api.post("/api/review/queues", Map.of("name", "sampled", "evaluators",
                    List.of(Map.of("name", ReviewFixtures.RUBRIC)), "sampling", Map.of("traceName", "support-turn",
                            "rate", 1.0)));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            java.time.Instant now = java.time.Instant.parse(created.json().path("createdAt").asText());
            ReviewFixtures.traces(api, "support-turn", 0, 3, now.plusMillis(1));
            ReviewFixtures.traces(api, "other-turn", 20, 2, now.minusMillis(19));
            // Traces from before the queue existed are never sampled.
            ReviewFixtures.traces(api, "support-turn", 40, 1, now.minusSeconds(3_600));
            server.services().reviews().sample();
            Set<String> targets = new HashSet<>();
            api.get("/api/review/queues/sampled/items").json().path("data")
                    .forEach(i -> targets.add(i.path("targetId").asText()));
            assertThat(targets).containsExactlyInAnyOrder(ReviewFixtures.traceId(0), ReviewFixtures.traceId(1),
                    ReviewFixtures.traceId(2));

            // A trace that started before that run but arrives after it is still sampled by the next one.
            ReviewFixtures.traces(api, "support-turn", 60, 1, now.plusMillis(2));
            server.services().reviews().sample();
            assertThat(api.get("/api/review/queues/sampled/items").json().path("data").findValuesAsText("targetId"))
                    .containsExactlyInAnyOrder(ReviewFixtures.traceId(0), ReviewFixtures.traceId(1),
                            ReviewFixtures.traceId(2), ReviewFixtures.traceId(60));
            long tenPercent = java.util.stream.IntStream.range(0, 10_000)
                    .filter(i -> ReviewService.chosen(ReviewFixtures.traceId(i), 0.1)).count();
            assertThat(tenPercent).isBetween(800L, 1_200L);
        }
    }

    @Test
    void badInputIsRejectedWithClearErrors() {
        try (TestServer server = TestServer.start()) {
            Http api = setUp(server, 1);
            assertThat(api.post("/api/review/queues", Map.of("name", "q")).status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues", Map.of("name", "q", "evaluators",
                    List.of(Map.of("name", ReviewFixtures.JUDGE)))).status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues", Map.of("name", "q", "evaluators",
                    List.of(Map.of("name", "missing")))).status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues", Map.of("name", "q", "evaluators", List.of(Map.of("name",
                    ReviewFixtures.RUBRIC, "calibrates", ReviewFixtures.RUBRIC)))).status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues", Map.of("name", "bad name!", "evaluators",
                    List.of(Map.of("name", ReviewFixtures.RUBRIC)))).status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues", Map.of("name", "q", "reviewersPerItem", 0, "evaluators",
                    List.of(Map.of("name", ReviewFixtures.RUBRIC)))).status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues", Map.of("name", "q", "sampling", Map.of("rate", 2),
                    "evaluators", List.of(Map.of("name", ReviewFixtures.RUBRIC)))).status()).isEqualTo(422);
            assertThat(ReviewFixtures.queue(api, "q", 1).status()).isEqualTo(201);
            assertThat(ReviewFixtures.queue(api, "q", 1).status()).isEqualTo(409);
            assertThat(api.get("/api/review/queues/nope").status()).isEqualTo(404);
            assertThat(api.post("/api/review/queues/q/items", Map.of("targetType", "session", "ids", List.of("x")))
                    .status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues/q/items", Map.of("ids", List.of("deadbeef"))).status())
                    .isEqualTo(422);
            assertThat(api.post("/api/review/queues/q/items", Map.of()).status()).isEqualTo(422);
            assertThat(api.get("/api/review/queues/q/items?status=maybe").status()).isEqualTo(400);
            api.post("/api/review/queues/q/items", Map.of("ids", List.of(ReviewFixtures.traceId(0))));
            String item = api.get("/api/review/queues/q/items").json().path("data").get(0).path("id").asText();
            // Not taken yet: the lock belongs to nobody.
            assertThat(api.post("/api/review/queues/q/items/" + item + "/review", answers(true, 3)).status())
                    .isEqualTo(409);
            api.post("/api/review/queues/q/next", Map.of());
            assertThat(api.post("/api/review/queues/q/items/" + item + "/review", Map.of("answers",
                    Map.of(ReviewFixtures.RUBRIC, Map.of("correct", true)))).status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues/q/items/" + item + "/review", Map.of("answers",
                    Map.of(ReviewFixtures.RUBRIC, Map.of("correct", "maybe", "helpful", 3)))).status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues/q/items/" + item + "/review", Map.of("answers",
                    Map.of(ReviewFixtures.RUBRIC, Map.of("correct", true, "helpful", 9)))).status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues/q/items/" + item + "/review", Map.of("answers",
                    Map.of(ReviewFixtures.RUBRIC, Map.of("correct", true, "helpful", 3)), "correctedOutput", "x"))
                    .status()).isEqualTo(422);
            assertThat(api.post("/api/review/queues/q/items/" + item + "/review", Map.of("answers",
                    Map.of(ReviewFixtures.RUBRIC, Map.of("correct", true, "helpful", 3)), "correctedOutput", "x",
                    "dataset", "missing")).status()).isEqualTo(404);
            assertThat(api.post("/api/review/queues/q/items/nope/review", answers(true, 3)).status()).isEqualTo(404);
            assertThat(api.get("/api/evaluators/" + ReviewFixtures.RUBRIC + "/calibration").status()).isEqualTo(422);
            assertThat(api.get("/api/evaluators/nope/calibration").status()).isEqualTo(404);
            assertThat(api.delete("/api/review/queues/q").status()).isEqualTo(204);
            assertThat(api.get("/api/review/queues/q").status()).isEqualTo(404);
        }
    }

    @Test
    void aCorrectedOutputIsAddedToADatasetAsTheExpectedOutput() {
        try (TestServer server = TestServer.start()) {
            Http api = setUp(server, 1);
            assertThat(api.post("/api/datasets", Map.of("name", "returns")).status()).isEqualTo(201);
            ReviewFixtures.queue(api, "fix", 1);
            api.post("/api/review/queues/fix/items", Map.of("ids", List.of(ReviewFixtures.traceId(0))));
            String item = api.post("/api/review/queues/fix/next", Map.of()).json().path("item").path("id").asText();
            Http.Response r = api.post("/api/review/queues/fix/items/" + item + "/review", Map.of("answers",
                    Map.of(ReviewFixtures.RUBRIC, Map.of("correct", false, "helpful", 2)),
                    "correctedOutput", "Yes, within 14 days, with the receipt.", "dataset", "returns"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().path("datasetVersion").asInt()).isEqualTo(2);
            JsonNode items = api.get("/api/datasets/returns/items").json().path("data");
            assertThat(items).hasSize(1);
            assertThat(items.get(0).path("expectedOutput").asText()).isEqualTo("Yes, within 14 days, with the receipt.");
            assertThat(items.get(0).path("sourceTraceId").asText()).isEqualTo(ReviewFixtures.traceId(0));
            assertThat(items.get(0).path("input").path("input").asText()).contains("Question 0");
        }
    }

    @Test
    void viewersCannotReviewAndQueuesStayInTheirProject() {
        try (TestServer server = TestServer.start()) {
            Http api = queueOfTraces(server, "private", 1, 1);

            server.member(server.project(), Role.VIEWER, "viewer@test.local");
            Http viewer = WebSession.login(server.url(), "viewer@test.local", "password-viewer").http()
                    .withHeader("X-Sextant-Project", server.project().slug());
            assertThat(viewer.get("/api/review/queues/private").status()).isEqualTo(200);
            assertThat(viewer.post("/api/review/queues/private/next", Map.of()).status()).isEqualTo(403);
            assertThat(viewer.post("/api/review/queues", Map.of("name", "x")).status()).isEqualTo(403);
            String item = api.get("/api/review/queues/private/items").json().path("data").get(0).path("id").asText();
            assertThat(viewer.delete("/api/review/queues/private/items/" + item).status()).isEqualTo(403);

            server.member(server.project(), Role.EXPERT, "expert@test.local");
            Http expert = WebSession.login(server.url(), "expert@test.local", "password-expert").http()
                    .withHeader("X-Sextant-Project", server.project().slug());
            JsonNode next = expert.post("/api/review/queues/private/next", Map.of()).json();
            assertThat(next.path("item").path("lockedBy").asText()).isEqualTo("expert@test.local");

            Project other = server.newProject("Other");
            Http outsider = server.api().withKey(server.newKey(other, ApiKey.Kind.SECRET));
            assertThat(outsider.get("/api/review/queues/private").status()).isEqualTo(404);
            assertThat(outsider.get("/api/review/queues").json().path("data")).isEmpty();
            assertThat(outsider.post("/api/review/queues/private/next", Map.of()).status()).isEqualTo(404);
            assertThat(outsider.delete("/api/review/queues/private/items/" + item).status()).isEqualTo(404);
            assertThat(api.get("/api/review/queues/private").json().path("progress").path("items").asInt())
                    .isEqualTo(1);
        }
    }
}
