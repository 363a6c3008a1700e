package dev.sextant.server.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.Role;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewPagesTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    private static Http.Response post(WebSession session, String path, Map<String, String> fields) {
        return session.http().send("POST", path, FORM, WebSession.form(fields));
    }

    @Test
    void anExpertCreatesAQueueInTheBrowserFillsItFromATraceFilterAndViewersOnlyLook() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            ReviewFixtures.rubric(api);
            ReviewFixtures.judge(api);
            ReviewFixtures.traces(api, 3);
            String base = "/p/" + server.project().slug() + "/review";
            WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            assertThat(admin.http().get(base).body()).contains("No review queues yet");

            Http.Response bad = post(admin, base, Map.of("name", "ui-queue"));
            assertThat(bad.status()).isEqualTo(302);
            assertThat(bad.header("Location")).contains("error=");
            Http.Response created = post(admin, base, Map.of("name", "ui-queue", "evaluator", ReviewFixtures.RUBRIC,
                    "calibrates_" + ReviewFixtures.RUBRIC, ReviewFixtures.JUDGE, "reviewersPerItem", "2",
                    "lockMinutes", "5", "samplePercent", "10", "sampleTraceName", "support-turn"));
            assertThat(created.header("Location")).isEqualTo(base + "/ui-queue");
            String page = admin.http().get(base + "/ui-queue").body();
            assertThat(page).contains("The queue is empty").contains("calibrates").contains("10.0 %");

            Http.Response added = post(admin, base + "/ui-queue/items",
                    Map.of("filter", server.url() + "/p/x/traces?name=support-turn&sort=time"));
            assertThat(added.header("Location")).contains("notice=Added+3+of+3");
            Http.Response none = post(admin, base + "/ui-queue/items", Map.of("ids", "deadbeef", "targetType", "trace"));
            assertThat(none.header("Location")).contains("error=");
            assertThat(admin.http().get(base + "/ui-queue").body()).contains(ReviewFixtures.traceId(0));
            Http.Response next = admin.http().get(base + "/ui-queue/next");
            assertThat(next.status()).isEqualTo(302);
            String item = admin.http().get(next.header("Location")).body();
            assertThat(item).contains("can I return shoes?").contains("Is the answer correct?").contains("/static/review.js");

            Http.Response incomplete = post(admin, next.header("Location"), Map.of("ev0.answer_correct", "true"));
            assertThat(incomplete.status()).isEqualTo(422);
            assertThat(incomplete.body()).contains("How helpful?");
            Http.Response saved = post(admin, next.header("Location"), Map.of("ev0.answer_correct", "true",
                    "ev0.answer_helpful", "4", "notes", "fine"));
            assertThat(saved.header("Location")).isEqualTo(base + "/ui-queue/next?saved=1");

            String itemId = null;
            for (JsonNode i : api.get("/api/review/queues/ui-queue/items").json()
                    .path("data")) {
                itemId = i.path("reviews").asInt() == 0 ? i.path("id").asText() : itemId;
            }
            assertThat(admin.http().get(base + "/ui-queue").body()).contains("/items/" + itemId + "/remove");
            Http.Response removed = post(admin, base + "/ui-queue/items/" + itemId + "/remove",
                    Map.of("_csrf", admin.csrf()));
            assertThat(removed.header("Location")).startsWith(base + "/ui-queue?notice=Removed+trace+");
            assertThat(admin.http().get(removed.header("Location")).body()).contains("from the queue");
            assertThat(api.get("/api/review/queues/ui-queue").json().path("progress").path("items").asInt())
                    .isEqualTo(2);

            server.member(server.project(), Role.VIEWER, "viewer@test.local");
            WebSession viewer = WebSession.login(server.url(), "viewer@test.local", "password-viewer");
            String seen = viewer.http().get(base + "/ui-queue").body();
            assertThat(seen).contains("1 of 4").doesNotContain("Start reviewing").doesNotContain("/remove\"");
            assertThat(post(viewer, base + "/ui-queue/items/" + itemId + "/remove", Map.of("_csrf", viewer.csrf()))
                    .status()).isEqualTo(403);
            assertThat(viewer.http().get(base + "/ui-queue/next").status()).isEqualTo(403);
            assertThat(post(viewer, base, Map.of("name", "nope")).status()).isEqualTo(403);
        }
    }
}
