package dev.sextant.server.review;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.sextant.server.auth.Role;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewBrowserTest {

    @Test
    void aDomainExpertReviewsThreeItemsWithTheKeyboardCorrectsOneAndSeesTheJudgesAgreement() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            Http api = server.api();
            ReviewFixtures.rubric(api);
            ReviewFixtures.judge(api);
            List<String> ids = ReviewFixtures.traces(api, 3);
            api.post("/api/datasets", Map.of("name", "returns"));
            ReviewFixtures.queue(api, "weekly", 1);
            api.post("/api/review/queues/weekly/items", Map.of("ids", ids));
            String misplaced = ReviewFixtures.traces(api, "billing-turn", 9, 1, Instant.parse("2026-11-01T09:00:00Z"))
                    .getFirst();
            api.post("/api/review/queues/weekly/items", Map.of("ids", List.of(misplaced)));
            // The judge passed all three.
            for (String id : ids) {
                api.post("/api/scores", Map.of("targetType", "trace", "targetId", id, "name", ReviewFixtures.JUDGE,
                        "value", true, "source", "llm", "reason", "Looks grounded."));
            }
            server.member(server.project(), Role.EXPERT, "lead@test.local");
            String slug = server.project().slug();
            Page page = browser.login(server.url(), "lead@test.local", "password-expert", "/p/" + slug + "/review");
            assertThat(page.locator("#queues")).containsText("weekly");
            Browser.screenshot(page, "review-queues");
            page.locator("#queues a", new Page.LocatorOptions().setHasText("weekly")).click();
            // A trace added by mistake is taken out again before anyone reviews it.
            assertThat(page.locator("#progress")).containsText("0 of 4");
            page.onceDialog(dialog -> dialog.accept());
            page.locator("#items tr", new Page.LocatorOptions().setHasText(misplaced)).locator("button").click();
            assertThat(page.locator(".alert")).containsText("Removed trace " + misplaced);
            assertThat(page.locator("#items")).not().containsText(misplaced);
            assertThat(page.locator("#progress")).containsText("0 of 3");
            Browser.screenshot(page, "review-queue");
            page.locator("#start-review").click();

            // Item 1: correct, helpful 4.
            assertThat(page.locator("#review-input")).containsText("Question 0");
            assertThat(page.locator("fieldset.question.active legend")).hasText("Is the answer correct?");
            page.keyboard().press("y");
            assertThat(page.locator("fieldset.question.active legend")).hasText("How helpful?");
            page.keyboard().press("4");
            Browser.screenshot(page, "review-item");
            page.keyboard().press("Enter");

            // Item 2: wrong; the expert corrects the output into the dataset.
            assertThat(page.locator(".alert[role=status]")).containsText("Saved");
            assertThat(page.locator("#review-input")).containsText("Question 1");
            assertThat(page.locator("fieldset.question.active")).hasCount(1); // review.js is running
            page.keyboard().press("n");
            page.keyboard().press("2");
            page.locator(".review-correct summary").click();
            page.locator("#review-dataset").selectOption("returns");
            page.locator("#review-corrected").fill("Yes, within 14 days, with the receipt and the original box.");
            Browser.screenshot(page, "review-correct");
            page.locator("#review-form h2").first().click();
            page.keyboard().press("Enter");

            // Item 3: correct, helpful 5.
            assertThat(page.locator("#review-input")).containsText("Question 2");
            assertThat(page.locator("fieldset.question.active")).hasCount(1);
            page.keyboard().press("1");
            page.keyboard().press("5");
            page.keyboard().press("Enter");
            assertThat(page.locator("#review-done")).containsText("Nothing left for you");
            Browser.screenshot(page, "review-done");

            JsonNode items = api.get("/api/datasets/returns/items").json().path("data");
            assertThat(items).hasSize(1);
            assertThat(items.get(0).path("expectedOutput").asText())
                    .isEqualTo("Yes, within 14 days, with the receipt and the original box.");
            JsonNode progress = api.get("/api/review/queues/weekly").json().path("progress");
            assertThat(progress.path("done").asInt()).isEqualTo(3);
            assertThat(progress.path("reviewers").get(0).path("reviewer").asText()).isEqualTo("lead@test.local");

            page.navigate(server.url() + "/p/" + slug + "/evaluators/" + ReviewFixtures.JUDGE);
            assertThat(page.locator("#calibration-panel")).containsText("67 %");
            assertThat(page.locator("#confusion")).containsText("people: fail");
            assertThat(page.locator("#disagreements tbody tr")).hasCount(1);
            assertThat(page.locator("#disagreements")).containsText(ids.get(1));
            assertThat(page.locator("#kappa")).hasText("0.00");
            Browser.screenshot(page, "review-calibration");
        }
    }
}
