package dev.sextant.server.experiments;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import org.junit.jupiter.api.Test;

class ExperimentsBrowserTest {

    @Test
    void anEngineerStartsAnExperimentWatchesItAndComparesTheRuns() {
        try (TestServer server = TestServer.start(Dialect.SQLITE, ExperimentFixtures.simWithLatency(150));
             Browser browser = Browser.launch()) {
            String slug = server.project().slug();
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + slug + "/experiments");
            assertThat(page.locator(".empty")).containsText("No experiments yet");
            Browser.screenshot(page, "experiments-empty");
            ExperimentFixtures.seed(server.api());

            page.getByText("New experiment").first().click();
            page.getByLabel("Name").fill("production vs v3");
            page.getByLabel("Prompt of target 1").selectOption("answer");
            page.getByLabel("Label or version of target 1").fill("production");
            page.getByLabel("Prompt of target 2").selectOption("answer");
            page.getByLabel("Label or version of target 2").fill("3");
            page.getByLabel("Prompt of target 3").selectOption("answer");
            page.getByLabel("Label or version of target 3").fill("1");
            page.getByLabel("Model override of target 3").fill("sim/sim-2");
            page.locator("input[name=evaluator][value=answers]").check();
            page.locator("input[name=evaluator][value=short]").check();
            page.getByLabel("Concurrency").fill("1");
            Browser.screenshot(page, "experiments-new");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start experiment")).click();

            assertThat(page.locator("h1")).containsText("production vs v3");
            assertThat(page.locator(".xp-run")).hasCount(3);
            Browser.screenshot(page, "experiments-running");
            assertThat(page.locator("#xp-status")).hasText("completed",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(60_000));
            assertThat(page.locator(".xp-scorecard").first()).containsText("answers");
            Browser.screenshot(page, "experiments-detail");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare selected runs")).click();
            assertThat(page.locator("h1")).hasText("Compare runs");
            assertThat(page.locator("#verdicts")).containsText("worse");
            assertThat(page.locator(".xp-chart svg")).hasCount(2);
            assertThat(page.locator(".xp-chart .point")).hasCount(6);
            Browser.screenshot(page, "experiments-compare");
            page.locator(".xp-charts").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                    .setPath(java.nio.file.Path.of("target/screenshots/experiments-pareto.png")));

            page.getByText("regression (").click();
            assertThat(page.locator("#side-by-side tbody tr")).hasCount(3);
            assertThat(page.locator("#side-by-side")).containsText("does not address the question");
            Browser.screenshot(page, "experiments-compare-regressions");

            page.navigate(server.url() + "/p/" + slug + "/experiments");
            page.locator("#experiments a").first().click();
            page.locator(".xp-run h2 a").first().click();
            assertThat(page.locator("#run-items tbody tr")).hasCount(6);
            assertThat(page.locator("#run-items a[href*='/traces/']").first()).isVisible();
            Browser.screenshot(page, "experiments-run");

            page.navigate(server.url() + "/p/" + slug + "/experiments");
            page.locator("#experiments a").first().click();
            page.onceDialog(dialog -> dialog.accept());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete experiment")).click();
            assertThat(page.locator(".alert.success")).containsText("Deleted experiment production vs v3");
            Browser.screenshot(page, "experiments-deleted");
        }
    }
}
