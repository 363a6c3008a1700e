package dev.sextant.server.models;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import org.junit.jupiter.api.Test;

class ProvidersBrowserTest {

    @Test
    void anAdminAddsAProviderKeySeesOnlyItsLastFourCharactersAndRemovesIt() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + server.project().slug() + "/settings/providers");
            assertThat(page.locator("#providers")).containsText("in-process sim");

            page.getByLabel("Name").fill("groq");
            page.getByLabel("Kind").selectOption("openai-compatible");
            page.getByLabel("Base URL").fill("https://api.groq.com/openai/v1");
            page.getByLabel("API key").fill("gsk_secret_value_0123456789wxyz");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save provider")).click();

            Locator row = page.locator("#providers tr", new Page.LocatorOptions().setHasText("groq"));
            assertThat(row).containsText("set (…wxyz)");
            assertThat(page.locator("body")).not().containsText("gsk_secret_value");
            Browser.screenshot(page, "providers-settings");

            page.onDialog(dialog -> dialog.accept());
            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove")).click();
            assertThat(page.locator("#providers tr", new Page.LocatorOptions().setHasText("groq"))).hasCount(0);
        }
    }
}
