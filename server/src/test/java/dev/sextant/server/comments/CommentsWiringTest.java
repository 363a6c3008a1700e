package dev.sextant.server.comments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CommentsWiringTest {
    static final String TRACE = "c0ffee00c0ffee00c0ffee00c0ffee00";
    static final String SPAN = "c0ffee00c0ffee01";

    static void ingestTrace(Http api) {
        Instant now = Instant.now();
        assertThat(api.post("/api/ingest", Map.of("spans", List.of(Map.of("id", SPAN, "traceId", TRACE, "kind", "llm",
                "name", "answer", "model", "sim-1", "input", "Where is my order?", "output", "It ships today.",
                "startTime", now.toString(), "endTime", now.plusMillis(200).toString())))).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void commentsAndRepliesOnATraceFormAThread(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            ingestTrace(api);
            Http.Response first = api.post("/api/comments", Map.of("targetType", "trace", "targetId", TRACE,
                    "body", "The answer invents a **shipping date**."));
            assertThat(first.status()).as(first.body()).isEqualTo(201);
            String parent = first.json().path("id").asText();
            Http.Response reply = api.post("/api/comments", Map.of("targetType", "trace", "targetId", TRACE,
                    "parentId", parent, "body", "Agreed, see the retrieval span."));
            assertThat(reply.status()).isEqualTo(201);
            assertThat(api.post("/api/comments", Map.of("targetType", "span", "targetId", TRACE + ":" + SPAN,
                    "body", "This span.")).status()).isEqualTo(201);

            JsonNode thread = api.get("/api/comments?targetType=trace&targetId=" + TRACE).json().path("data");
            assertThat(thread).hasSize(2);
            assertThat(thread.get(1).path("parentId").asText()).isEqualTo(parent);
            assertThat(api.get("/api/comments?targetType=span&targetId=" + TRACE + ":" + SPAN).json().path("data"))
                    .hasSize(1);
            // A reply must stay on its thread's item; unknown targets are 404.
            assertThat(api.post("/api/comments", Map.of("targetType", "span", "targetId", TRACE + ":" + SPAN,
                    "parentId", parent, "body", "x")).status()).isEqualTo(422);
            assertThat(api.post("/api/comments", Map.of("targetType", "trace", "targetId", "ffffffffffffffff",
                    "body", "x")).status()).isEqualTo(404);
            assertThat(api.post("/api/comments", Map.of("targetType", "span", "targetId", TRACE + ":0000000000000000",
                    "body", "x")).status()).isEqualTo(404);
            JsonNode recent = api.get("/api/comments/recent").json().path("data");
            assertThat(recent).hasSize(3);
        }
    }

    @Test
    void anotherProjectsTraceIsNotFoundAndItsCommentsAreNotVisible() {
        try (TestServer server = TestServer.start()) {
            ingestTrace(server.api());
            server.api().post("/api/comments", Map.of("targetType", "trace", "targetId", TRACE, "body", "secret"));
            Project other = server.newProject("Other");
            Http otherApi = server.anonymous().withKey(server.newKey(other, ApiKey.Kind.SECRET));
            Http.Response post = otherApi.post("/api/comments", Map.of("targetType", "trace", "targetId", TRACE,
                    "body", "hello"));
            assertThat(post.status()).isEqualTo(404);
            assertThat(otherApi.get("/api/comments?targetType=trace&targetId=" + TRACE).json().path("data")).isEmpty();
        }
    }

    @Test
    void promptVersionsAreDiscussedAsNameAtVersion() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            assertThat(api.post("/api/prompts", Map.of("name", "support/answer", "text", "Hi {{name}}")).status())
                    .isBetween(200, 201);
            assertThat(api.post("/api/comments", Map.of("targetType", "prompt_version", "targetId",
                    "support/answer@1", "body", "Too terse.")).status()).isEqualTo(201);
            assertThat(api.post("/api/comments", Map.of("targetType", "prompt_version", "targetId",
                    "support/answer@2", "body", "x")).status()).isEqualTo(404);
            assertThat(api.post("/api/comments", Map.of("targetType", "prompt_version", "targetId",
                    "support/answer", "body", "x")).status()).isEqualTo(404);
            String page = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).http()
                    .get("/p/" + server.project().slug() + "/discussion").body();
            assertThat(page).contains("Too terse.").contains("/prompts/support/answer?version=1");
        }
    }

    @Test
    void markdownIsRenderedWithRawHtmlEscapedAndScriptLinksDropped() {
        try (TestServer server = TestServer.start()) {
            ingestTrace(server.api());
            server.api().post("/api/comments", Map.of("targetType", "trace", "targetId", TRACE,
                    "body", "<script>alert(1)</script>\n\nA [click](javascript:alert(2)) and *fine*"));
            String html = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).http()
                    .get("/p/" + server.project().slug() + "/comments?targetType=trace&targetId=" + TRACE).body();
            assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
            assertThat(html).doesNotContain("javascript:").contains("<em>fine</em>");
        }
    }
}
