package dev.sextant.server.traces;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import org.junit.jupiter.api.Test;

/** Issue 5's loop in the browser: a wrong logged answer becomes a corrected dataset item that a judge is tried on. */
class CorrectionToJudgeBrowserTest {

    @Test
    void aSpanIsAddedWithACorrectedAnswerAndAPresetJudgeIsTriedOnThatItem() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            TraceToDatasetTest.ingestSupportTurn(server.api(), TraceToDatasetTest.TRACE, "returns");
            String slug = server.project().slug();
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + slug + "/traces/" + TraceToDatasetTest.TRACE + "?span=" + TraceToDatasetTest.LLM);

            page.locator(".span-to-dataset summary").click();
            Locator form = page.locator("#to-dataset-" + TraceToDatasetTest.LLM);
            assertThat(form.getByLabel("Expected output")).hasValue("Yes, within 90 days.");
            form.getByLabel("Dataset").fill("returns-regressions");
            form.getByLabel("Expected output").fill("No: returns are accepted within 30 days of delivery.");
            form.locator("button[type=submit]").click();
            assertThat(page.locator("#to-dataset-" + TraceToDatasetTest.LLM + " [role=status]"))
                    .containsText("Added to returns-regressions");
            Browser.screenshot(page, "trace-span-added-to-dataset");
            String itemId = server.api().get("/api/datasets/returns-regressions/items").json().path("data").get(0)
                    .path("id").asText();

            page.navigate(server.url() + "/p/" + slug + "/evaluators/new?kind=llm");
            page.getByLabel("Name").fill("covers-policy");
            page.locator("#ev-preset").selectOption("contains-required-points");
            page.locator(".ev-load summary").click();
            page.getByLabel("Dataset to load from").fill("returns-regressions");
            page.getByLabel("Dataset item id to load").fill(itemId);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Load").setExact(true)).click();
            assertThat(page.locator("textarea[name=exExpected]")).hasValue("No: returns are accepted within 30 days of delivery.");
            assertThat(page.locator("textarea[name=exOutput]")).hasValue("Yes, within 90 days.");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Try it").setExact(true)).click();
            // The judge runs through the gateway against the sim, which gives its reasoning and verdict.
            assertThat(page.locator("#try-result")).containsText("addresses the question");
            Browser.screenshot(page, "judge-tried-on-corrected-item");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save evaluator").setExact(true)).click();
            assertThat(page.locator("h1")).containsText("covers-policy");
        }
    }
}
