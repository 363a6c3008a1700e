package dev.sextant.server.comments;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import org.junit.jupiter.api.Test;

class CommentsBrowserTest {

    @Test
    void aUserCommentsOnATraceAndRepliesOnItsPage() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            CommentsWiringTest.ingestTrace(server.api());
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + server.project().slug() + "/traces/" + CommentsWiringTest.TRACE);
            Locator thread = page.locator("#comments-trace");
            thread.getByLabel("New comment").fill("The **date** is made up <b>bold?</b>");
            thread.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Comment")).click();
            assertThat(thread.locator(".comment strong")).hasText("date");
            assertThat(thread.locator(".comment")).containsText("<b>bold?</b>");

            thread.locator("summary", new Locator.LocatorOptions().setHasText("Reply")).first().click();
            thread.getByLabel("Reply").first().fill("Fixed in prompt v2.");
            thread.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reply")).first().click();
            assertThat(thread.locator(".replies .comment")).containsText("Fixed in prompt v2.");

            page.reload();
            assertThat(page.locator("#comments-trace .comment")).hasCount(2);
            assertThat(page.locator("#comments-span")).isVisible();
            Browser.screenshot(page, "trace-comments");
        }
    }
}
