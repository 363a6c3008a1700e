package dev.sextant.server.evaluators;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import org.junit.jupiter.api.Test;

class EvaluatorsBrowserTest {

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    @Test
    void anExpertCreatesTriesAndVersionsACodeCheck() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            String slug = server.project().slug();
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + slug + "/evaluators");
            assertThat(page.locator(".empty")).containsText("No evaluators yet");
            Browser.screenshot(page, "evaluators-empty");

            page.getByText("New code check").click();
            page.getByLabel("Name").fill("mentions-return-window");
            page.getByLabel("Description").fill("Answers about returns state the 14-day window");
            page.locator("#ev-builtin").selectOption("contains-all");
            assertThat(page.locator("#ev-params")).hasValue(
                    java.util.regex.Pattern.compile(".*price.*delivery date.*", java.util.regex.Pattern.DOTALL));
            page.locator("#ev-params").fill("{\"values\": [\"14 days\", \"refund\"], \"caseSensitive\": false}");
            page.locator("textarea[name=exOutput]").fill("You get a full Refund within 14 days.");
            button(page, "Try it").click();
            assertThat(page.locator("#try-result")).containsText("pass");
            assertThat(page.locator("#try-result")).containsText("contains all");
            Browser.screenshot(page, "evaluators-try-code");

            page.locator("textarea[name=exOutput]").fill("Returns are possible.");
            button(page, "Try it").click();
            assertThat(page.locator("#try-result")).containsText("fail");
            assertThat(page.locator("#try-result")).containsText("lacks");

            button(page, "Save evaluator").click();
            assertThat(page.locator("h1")).containsText("mentions-return-window");
            assertThat(page.locator("#versions tbody tr")).hasCount(1);

            page.getByText("Edit (new version)").click();
            page.getByLabel("Negate (pass when the check fails)").check();
            button(page, "Save new version").click();
            assertThat(page.locator("h1")).containsText("v2");
            assertThat(page.locator("#versions tbody tr")).hasCount(2);
            assertThat(page.locator(".ev-main")).containsText("not-contains-all");
            Browser.screenshot(page, "evaluators-detail-code");

            page.locator("textarea[name=exOutput]").fill("Returns are possible.");
            button(page, "Try it").click();
            assertThat(page.locator("#try-result")).containsText("pass");

            server.api().post("/api/scores", java.util.Map.of("targetType", "trace", "targetId", "trace-42",
                    "name", "mentions-return-window", "value", false, "reason", "<b>no window</b>"));
            page.reload();
            Locator scores = page.locator(".ev-scores");
            assertThat(scores).containsText("trace-42");
            assertThat(scores).containsText("<b>no window</b>");
            assertThat(scores.locator("b")).hasCount(0);
            Browser.screenshot(page, "evaluators-detail-scores");
        }
    }

    @Test
    void anExpertCreatesAnLlmJudgeFromAPresetAndAHumanRubric() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            String slug = server.project().slug();
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + slug + "/evaluators/new?kind=llm");
            page.getByLabel("Name").fill("grounded");
            page.locator("#ev-preset").selectOption("grounded-in-context");
            assertThat(page.locator("#ev-template")).hasValue(java.util.regex.Pattern.compile(
                    ".*\\{\\{context}}.*", java.util.regex.Pattern.DOTALL));
            page.locator("textarea[name=exOutput]").fill("Returns are accepted for 14 days.");
            page.locator("textarea[name=exContext]").fill("Our policy: returns within 14 days.");
            button(page, "Try it").click();
            // The judge runs through the model gateway against the sim, which gives its reasoning.
            assertThat(page.locator("#try-result")).containsText("addresses the question");
            Browser.screenshot(page, "evaluators-new-llm");
            button(page, "Save evaluator").click();
            assertThat(page.locator(".ev-pre")).containsText("grounded in the context");

            page.navigate(server.url() + "/p/" + slug + "/evaluators/new?kind=human");
            page.getByLabel("Name").fill("expert-review");
            page.getByLabel("Instructions for reviewers").fill("Judge as a support lead would.");
            page.locator("input[name=q_id]").first().fill("correct");
            page.locator("input[name=q_text]").first().fill("Is the answer correct?");
            page.locator("#ev-add-question").click();
            Locator second = page.locator("#ev-questions .ev-question").nth(1);
            second.locator("input[name=q_id]").fill("tone");
            second.locator("input[name=q_text]").fill("How is the tone?");
            second.locator("select[name=q_type]").selectOption("category");
            second.locator("input[name=q_categories]").fill("warm, neutral, cold");
            Browser.screenshot(page, "evaluators-new-human");
            button(page, "Save evaluator").click();

            assertThat(page.locator("h1")).containsText("expert-review");
            page.getByLabel("Yes").check();
            page.getByLabel("warm").check();
            button(page, "Submit judgment").click();
            assertThat(page.locator("#try-result")).containsText("pass");
            assertThat(page.locator("#try-result")).containsText("tone: \"warm\"");
            Browser.screenshot(page, "evaluators-detail-human");

            page.navigate(server.url() + "/p/" + slug + "/evaluators");
            assertThat(page.locator("#evaluators tbody tr")).hasCount(2);
            Browser.screenshot(page, "evaluators-list");
        }
    }
}
