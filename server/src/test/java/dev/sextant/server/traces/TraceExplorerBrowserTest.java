package dev.sextant.server.traces;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.Role;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import org.junit.jupiter.api.Test;

class TraceExplorerBrowserTest {

    @Test
    void aUserOpensATraceFromTheListAndReadsAnLlmSpansMessages() throws Exception {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            Principal actor = Principal.ofUser(server.admin()).inProject(server.project(), Role.ADMIN);
            new TraceDemoSeeder().seed(new DemoContext(server.project(), server.admin(), actor, TestServer.API_KEY,
                    server.url()));
            String slug = server.project().slug();
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + slug + "/traces");
            assertThat(page.locator("#traces tbody tr").first()).isVisible();
            Browser.screenshot(page, "traces-list");

            // Word search from the filter bar: whole words in the input or output, word* for a prefix.
            page.getByLabel("Search").fill("refund");
            page.getByLabel("Search").press("Enter");
            page.waitForURL(url -> url.contains("q=refund"));
            assertThat(page.locator("#traces tbody tr").first()).isVisible();
            assertThat(page.locator("#traces tbody tr").first()).containsText("refund");
            Browser.screenshot(page, "traces-search");
            page.getByLabel("Search").fill("refun* cancelled");
            page.getByLabel("Search").press("Enter");
            page.waitForURL(url -> url.contains("q=refun*"));
            assertThat(page.locator("#traces tbody tr").first()).containsText("refund");
            page.getByLabel("Search").fill("zebra");
            page.getByLabel("Search").press("Enter");
            page.waitForURL(url -> url.contains("q=zebra"));
            assertThat(page.locator(".empty")).containsText("No trace matches these filters");
            page.navigate(server.url() + "/p/" + slug + "/traces");
            page.getByLabel("Live refresh").check();
            assertThat(page.locator("#trace-rows")).hasAttribute("hx-trigger", "every 5s");

            page.locator("#traces tbody tr").first().getByRole(com.microsoft.playwright.options.AriaRole.LINK)
                    .first().click();
            assertThat(page.locator("#span-tree")).containsText("search-help-center");
            page.locator("#span-tree .span-row", new Page.LocatorOptions().setHasText("chat sim-1")).first().click();
            Locator panel = page.locator("#span-panel");
            assertThat(panel.locator(".message.role-user")).containsText("order");
            assertThat(panel.locator(".message.role-system")).containsText("support assistant");
            assertThat(panel.locator(".tool-call")).isVisible();
            assertThat(panel).containsText("sim-1");
            Browser.screenshot(page, "trace-llm-span");

            // Keyboard: j moves down the span tree, Enter opens the span (a deep link).
            page.keyboard().press("j");
            page.keyboard().press("Enter");
            page.waitForURL("**span=**");
            assertThat(page.locator("#span-panel h2")).isVisible();

            page.navigate(server.url() + "/p/" + slug + "/traces?status=error");
            page.locator("#traces tbody tr").first().getByRole(com.microsoft.playwright.options.AriaRole.LINK)
                    .first().click();
            assertThat(page.locator(".span-row.error").first()).isVisible();
            // Let the page's htmx fragments (scores, feedback, comments) finish loading before navigating.
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            page.locator(".span-row.error").first().click();
            page.waitForURL("**span=**");
            assertThat(page.locator("#span-panel .alert.error")).isVisible();
            Browser.screenshot(page, "trace-error-span");

            page.locator(".trace-stats a").first().click();
            assertThat(page.locator(".conversation .turn").first()).isVisible();
            Browser.screenshot(page, "session-conversation");

            page.navigate(server.url() + "/p/" + slug + "/settings/pricing");
            page.getByLabel("Model", new Page.GetByLabelOptions().setExact(true)).fill("sim-1");
            page.getByLabel("Input price", new Page.GetByLabelOptions().setExact(true)).fill("3");
            page.getByLabel("Output price", new Page.GetByLabelOptions().setExact(true)).fill("6");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Set price")).click();
            assertThat(page.locator("#prices tr", new Page.LocatorOptions().setHasText("project")).first())
                    .containsText("sim-1");
            Browser.screenshot(page, "settings-model-prices");
        }
    }
}
