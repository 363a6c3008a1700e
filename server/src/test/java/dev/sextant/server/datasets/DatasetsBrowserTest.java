package dev.sextant.server.datasets;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.sextant.server.demo.DemoData;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DatasetsBrowserTest {

    @Test
    void anExpertCreatesADatasetAddsAnItemEditsItsExpectedOutputInlineAndSeesTheNewVersion() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            String slug = server.project().slug();
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + slug + "/datasets");
            assertThat(page.locator(".empty")).containsText("No datasets yet");
            Browser.screenshot(page, "datasets-empty");

            page.getByLabel("Dataset name").fill("billing faq");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create dataset")).click();
            page.waitForURL(server.url() + "/p/" + slug + "/datasets/billing%20faq");
            page.locator("textarea[name=inputJson]").fill("{\"question\": \"Where do I find my invoices?\"}");
            page.locator("#add-item textarea[name=expected]").fill("Under Billing.");
            page.locator("#add-item textarea[name=expected]").press("Tab");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add item")).click();
            Locator row = page.locator("#items tbody tr", new Page.LocatorOptions().setHasText("Where do I find my invoices?"));
            assertThat(row).containsText("Under Billing.");
            assertThat(page.locator("#version-badge")).containsText("v2");

            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit")).click();
            Locator editor = page.locator("tr.editing textarea[name=expected]");
            editor.fill("Settings → Billing → Invoices, as PDF.");
            Browser.screenshot(page, "datasets-inline-edit");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save as new version")).click();
            assertThat(page.locator("#items tbody tr").first()).containsText("Settings → Billing → Invoices, as PDF.");
            assertThat(page.locator("tr.editing")).hasCount(0);
            assertThat(page.locator("#version-badge")).containsText("v3");
            assertThat(page.getByLabel("Version")).hasValue("3");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("History")).click();
            Locator latest = page.locator("#history tbody tr").first();
            assertThat(latest).containsText("v3");
            assertThat(latest).containsText("edit");
            assertThat(latest).containsText("expected output");
            assertThat(latest).containsText(TestServer.ADMIN_EMAIL);
            Browser.screenshot(page, "datasets-history");
            latest.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(java.util.regex.Pattern.compile("edited item"))).click();
            Locator edited = page.locator("#edited tbody tr");
            assertThat(edited).containsText("Under Billing.");
            assertThat(edited).containsText("Settings → Billing → Invoices, as PDF.");
            Browser.screenshot(page, "datasets-version-changes");

            JsonNode v2 = server.api().get("/api/datasets/billing%20faq/items?version=2").json();
            assertThat(v2.path("data").get(0).path("expectedOutput").asText()).isEqualTo("Under Billing.");

            page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Dataset"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Settings")).click();
            page.getByLabel("Name").fill("billing questions");
            page.getByLabel("Description").fill("What customers ask about invoices");
            Browser.screenshot(page, "datasets-settings");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
            page.waitForURL(server.url() + "/p/" + slug + "/datasets/billing%20questions?notice=Saved");
            assertThat(page.locator("h1")).hasText("billing questions");
            assertThat(page.locator("#items tbody tr")).hasCount(1);
            page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Dataset"))
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Settings")).click();
            page.onceDialog(dialog -> dialog.accept());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete dataset")).click();
            assertThat(page.locator(".alert.success")).containsText("Deleted dataset billing questions");
            assertThat(server.api().get("/api/datasets/billing%20questions").status()).isEqualTo(404);
        }
    }

    @Test
    void aCsvFileIsImportedAfterChoosingWhatEachColumnIsAndSelectedItemsAreDeleted() throws Exception {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            new DemoData(java.util.List.of(new DatasetsDemoSeeder())).seed(server.services(), server.url());
            String slug = server.project().slug();
            server.api().post("/api/datasets", java.util.Map.of("name", "shipping"));
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + slug + "/datasets/shipping/import");

            String csv = "question,answer,topic,agent\nDo you ship to Canada?,\"Yes, 5-7 days.\",shipping,ann\n"
                    + "How much is express shipping?,$15 flat.,shipping,bob\n";
            page.locator("input[type=file]").setInputFiles(new FilePayload("shipping.csv", "text/csv",
                    csv.getBytes(StandardCharsets.UTF_8)));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Preview")).click();
            assertThat(page.locator("table.preview")).containsText("Do you ship to Canada?");
            page.getByLabel("Use of column answer").selectOption("expected");
            page.getByLabel("Use of column topic").selectOption("metadata");
            page.getByLabel("Use of column agent").selectOption("ignore");
            Browser.screenshot(page, "datasets-import-mapping");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import 2 items")).click();

            assertThat(page.locator(".alert.success")).containsText("Imported 2 items");
            Locator rows = page.locator("#items tbody tr");
            assertThat(rows).hasCount(2);
            assertThat(rows.first()).containsText("topic: shipping");
            assertThat(rows.first()).not().containsText("ann");

            rows.first().locator("input.select-item").check();
            page.onDialog(dialog -> dialog.accept());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete 1 selected")).click();
            assertThat(page.locator(".alert.success")).containsText("Deleted 1 item");
            assertThat(page.locator("#items tbody tr")).hasCount(1);

            Page demo = browser.login(server.url(), DemoData.EMAIL, DemoData.PASSWORD, "/projects");
            demo.navigate(server.url() + "/p/support-bot/datasets");
            assertThat(demo.locator("#datasets")).containsText("support questions");
            Browser.screenshot(demo, "datasets-list");
            demo.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("support questions")).click();
            assertThat(demo.locator("#items tbody tr")).hasCount(25);
            Browser.screenshot(demo, "datasets-items");
            demo.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("History")).click();
            assertThat(demo.locator("#history tbody tr")).hasCount(3);
            Browser.screenshot(demo, "datasets-demo-history");
        }
    }
}
