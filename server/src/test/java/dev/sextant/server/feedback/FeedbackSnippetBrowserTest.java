package dev.sextant.server.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The browser snippet from a page on another origin, with a public key: the CORS contract end to end. */
class FeedbackSnippetBrowserTest {

    @Test
    void aPageOnAnotherOriginSendsAVoteAndRetentionCheckpoints() throws Exception {
        HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            FeedbackApiTest.ingest(server.api());
            String publicKey = server.newKey(server.project(), ApiKey.Kind.PUBLIC);
            // The app's page: loads the snippet from Sextant and wires it like a customer would (own script file).
            String html = "<!doctype html><html><body><textarea id=\"answer\">Your order ships today. Thanks for "
                    + "waiting.</textarea><button id=\"up\">Up</button><div id=\"status\"></div>"
                    + "<script src=\"" + server.url() + "/static/sextant-feedback.js\"></script>"
                    + "<script src=\"/app.js\"></script></body></html>";
            String js = "const fb = Sextant.feedback({url: '" + server.url() + "', publicKey: '" + publicKey + "'});\n"
                    + "document.getElementById('up').addEventListener('click', () => {\n"
                    + "  fb.vote('" + FeedbackApiTest.TRACE_A + "', 'up', {endUserId: 'visitor-1'})\n"
                    + "    .then(r => { document.getElementById('status').textContent = 'sent ' + r.kind; })\n"
                    + "    .catch(e => { document.getElementById('status').textContent = 'error ' + e.message; });\n"
                    + "  const answer = document.getElementById('answer');\n"
                    + "  answer.value = 'Your order ships today.';\n"
                    + "  fb.trackRetention('" + FeedbackApiTest.TRACE_A + "', () => answer.value,"
                    + " 'Your order ships today. Thanks for waiting.', [0, 1]);\n"
                    + "});\n";
            app.createContext("/", exchange -> {
                boolean script = exchange.getRequestURI().getPath().equals("/app.js");
                byte[] body = (script ? js : html).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", script ? "text/javascript" : "text/html");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            app.start();

            Page page = browser.newPage();
            page.navigate("http://127.0.0.1:" + app.getAddress().getPort() + "/");
            page.click("#up");
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#status"))
                    .hasText("sent vote");

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.api()
                    .get("/api/feedback?traceId=" + FeedbackApiTest.TRACE_A).json().path("data").size() == 3);
            JsonNode items = server.api().get("/api/feedback?traceId=" + FeedbackApiTest.TRACE_A).json().path("data");
            // The vote and the first (0 s) checkpoint are sent concurrently: find them by kind, not order.
            java.util.List<JsonNode> all = new java.util.ArrayList<>();
            items.forEach(all::add);
            JsonNode vote = all.stream().filter(i -> i.path("kind").asText().equals("vote")).findFirst().orElseThrow();
            assertThat(vote.path("endUserId").asText()).isEqualTo("visitor-1");
            JsonNode retention = all.stream().filter(i -> i.path("kind").asText().equals("retention"))
                    .filter(i -> i.path("delaySeconds").asInt() == 1).findFirst().orElseThrow();
            // Four of the seven accepted words are still there.
            assertThat(retention.path("fractionKept").asDouble()).isEqualTo(0.571);
            assertThat(retention.path("present").asBoolean()).isTrue();
        } finally {
            app.stop(0);
        }
    }
}
