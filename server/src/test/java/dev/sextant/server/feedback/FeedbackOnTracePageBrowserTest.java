package dev.sextant.server.feedback;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedbackOnTracePageBrowserTest {

    @Test
    void aTracePageShowsItsEndUserFeedback() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            Http api = server.api();
            FeedbackApiTest.ingest(api);
            api.post("/api/feedback", Map.of("feedback", List.of(
                    Map.of("traceId", FeedbackApiTest.TRACE_A, "kind", "vote", "value", "down", "endUserId", "u-7"),
                    Map.of("traceId", FeedbackApiTest.TRACE_A, "kind", "comment", "text", "<i>wrong order</i>"),
                    Map.of("traceId", FeedbackApiTest.TRACE_A, "kind", "retention", "delaySeconds", 120,
                            "present", false))));
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + server.project().slug() + "/traces/" + FeedbackApiTest.TRACE_A);
            assertThat(page.locator("#feedback")).containsText("voted down");
            assertThat(page.locator("#feedback")).containsText("<i>wrong order</i>");
            assertThat(page.locator("#feedback")).containsText("after 120s");
            Browser.screenshot(page, "trace-feedback");
        }
    }
}
