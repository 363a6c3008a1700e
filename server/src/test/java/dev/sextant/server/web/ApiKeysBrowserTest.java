package dev.sextant.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import org.junit.jupiter.api.Test;

class ApiKeysBrowserTest {

    @Test
    void anAdminLogsInCreatesAKeySeesItListedAndRevokesIt() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            String slug = server.project().slug();
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + slug + "/settings/keys");

            page.getByLabel("Key name").fill("checkout backend");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();

            Locator secret = page.locator("#new-key-value");
            assertThat(secret).containsText("sk-sx-");
            String key = secret.textContent().trim();
            Locator row = page.locator("#keys tr", new Page.LocatorOptions().setHasText("checkout backend"));
            assertThat(row).containsText("active");
            Browser.screenshot(page, "api-keys-created");
            assertThat(server.anonymous().withKey(key).get("/api/projects/current").status()).isEqualTo(200);

            page.onDialog(dialog -> dialog.accept());
            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
            Locator revokedRow = page.locator("#keys tr", new Page.LocatorOptions().setHasText("checkout backend"));
            assertThat(revokedRow).containsText("revoked");
            assertThat(page.locator("#new-key-value")).hasCount(0);
            Browser.screenshot(page, "api-keys-revoked");

            Http.Response after = server.anonymous().withKey(key).get("/api/projects/current");
            assertThat(after.status()).isEqualTo(401);
        }
    }
}
