package dev.sextant.server.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.auth.Role;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PromptApiTest {
    private static TestServer server;
    private static Http api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, Object> prompt(String name, String system, double temperature, String commitMessage,
                                      String... labels) {
        return Map.of("name", name,
                "messages", List.of(Map.of("role", "system", "content", system),
                        Map.of("role", "placeholder", "name", "history"),
                        Map.of("role", "user", "content", "{{question}}")),
                "model", Map.of("provider", "sim", "name", "sim-1", "temperature", temperature),
                "commitMessage", commitMessage, "labels", List.of(labels));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void versionsAreNumberedImmutableAndIdenticalContentCreatesNoNewVersion(Dialect dialect) {
        try (TestServer db = TestServer.start(dialect)) {
            Http http = db.api();
            Http.Response first = http.post("/api/prompts", prompt("support/answer", "Help with {{product}}.", 0.2, "first"));
            assertThat(first.status()).as(first.body()).isEqualTo(201);
            assertThat(first.json().path("name").asText()).isEqualTo("support/answer");
            assertThat(first.json().path("version").asInt()).isEqualTo(1);
            assertThat(first.json().path("variables")).extracting(JsonNode::asText)
                    .containsExactly("product", "history", "question");
            assertThat(first.json().path("author").asText()).startsWith("key ");
            assertThat(first.json().path("contentHash").asText()).hasSize(64);

            Http.Response same = http.post("/api/prompts", prompt("support/answer", "Help with {{product}}.", 0.2, "again"));
            assertThat(same.status()).isEqualTo(200);
            assertThat(same.json().path("version").asInt()).isEqualTo(1);
            assertThat(same.json().path("commitMessage").asText()).isEqualTo("first");

            Http.Response warmer = http.post("/api/prompts", prompt("support/answer", "Help with {{product}}.", 0.7, "warmer"));
            assertThat(warmer.status()).isEqualTo(201);
            assertThat(warmer.json().path("version").asInt()).isEqualTo(2);

            // Going back to v1's content is a new version: latest must match what was saved last.
            Http.Response back = http.post("/api/prompts", prompt("support/answer", "Help with {{product}}.", 0.2, "revert"));
            assertThat(back.json().path("version").asInt()).isEqualTo(3);
            assertThat(back.json().path("contentHash").asText()).isEqualTo(first.json().path("contentHash").asText());

            assertThat(http.get("/api/prompts/support/answer").json().path("version").asInt()).isEqualTo(3);
            JsonNode v2 = http.get("/api/prompts/support/answer?version=2").json();
            assertThat(v2.path("model").path("temperature").asDouble()).isEqualTo(0.7);
            assertThat(v2.path("messages").get(1).path("role").asText()).isEqualTo("placeholder");
            assertThat(v2.path("messages").get(1).path("name").asText()).isEqualTo("history");
            JsonNode versions = http.get("/api/prompts/support/answer/versions").json();
            assertThat(versions.path("data")).extracting(v -> v.path("version").asInt()).containsExactly(3, 2, 1);
            assertThat(versions.path("data")).extracting(v -> v.path("commitMessage").asText())
                    .containsExactly("revert", "warmer", "first");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void deployRollbackDiffAndRenderWorkOnBothDatabases(Dialect dialect) {
        try (TestServer db = TestServer.start(dialect)) {
            Http http = db.api();
            http.post("/api/prompts", prompt("life/cycle", "One {{product}}.", 0.2, "one", "production"));
            http.post("/api/prompts", prompt("life/cycle", "Two {{product}}.", 0.4, "two", "staging"));
            assertThat(http.put("/api/prompts/life/cycle/labels/production", Map.of("version", 2)).status()).isEqualTo(200);
            assertThat(http.put("/api/prompts/life/cycle/labels/production", Map.of("version", 1)).status()).isEqualTo(200);
            assertThat(http.get("/api/prompts/life/cycle?label=production").json().path("version").asInt()).isEqualTo(1);
            JsonNode summary = http.get("/api/prompts").json().path("data").get(0);
            assertThat(summary.path("labels").path("production").asInt()).isEqualTo(1);
            assertThat(summary.path("labels").path("staging").asInt()).isEqualTo(2);
            assertThat(summary.path("lastCommitMessage").asText()).isEqualTo("two");
            assertThat(http.get("/api/prompts/life/cycle/diff?from=1&to=2").json().path("config").get(0)
                    .path("field").asText()).isEqualTo("model.temperature");
            assertThat(http.post("/api/prompts/life/cycle/render?label=staging", Map.of("variables",
                    Map.of("product", "X", "question", "?"))).json().path("messages").get(0).path("content").asText())
                    .isEqualTo("Two X.");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void concurrentSavesOfANewPromptGetDistinctVersionsAndConcurrentDeploysAllLand(Dialect dialect) throws Exception {
        try (TestServer db = TestServer.start(dialect)) {
            Http http = db.api();
            int writers = 6;
            List<java.util.concurrent.Future<Http.Response>> saves = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(writers)) {
                for (int i = 0; i < writers; i++) {
                    String content = "variant " + i;
                    saves.add(pool.submit(() -> http.post("/api/prompts",
                            Map.of("name", "race/new", "text", content, "labels", List.of("staging")))));
                }
                List<Integer> versions = new ArrayList<>();
                for (var save : saves) {
                    Http.Response r = save.get();
                    assertThat(r.status()).as(r.body()).isEqualTo(201);
                    versions.add(r.json().path("version").asInt());
                }
                assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
            }
            assertThat(http.get("/api/prompts/race/new/versions").json().path("data")).hasSize(writers);
            assertThat(http.get("/api/prompts/race/new?label=staging").status()).isEqualTo(200);
            assertThat(http.get("/api/prompts?q=RACE%2F").json().path("data")).hasSize(1);
            assertThat(http.get("/api/prompts?q=%25").json().path("data")).as("% is literal").isEmpty();
            assertThat(http.get("/api/prompts?q=_").json().path("data")).as("_ is literal").isEmpty();
            assertThat(http.get("/api/prompts").json().path("data").get(0).path("labels").path("staging").isInt()).isTrue();
        }
    }

    @Test
    void literalAndEncodedSlashesNameTheSamePromptOnEveryRoute() {
        api.post("/api/prompts", prompt("routing/deep/name", "Hi {{x}}", 0.1, "one", "staging"));
        assertThat(api.get("/api/prompts/routing/deep/name").status()).isEqualTo(200);
        assertThat(api.get("/api/prompts/routing%2Fdeep%2Fname").json().path("name").asText()).isEqualTo("routing/deep/name");
        assertThat(api.get("/api/prompts/routing%2Fdeep%2Fname/versions").json().path("data")).hasSize(1);
        assertThat(api.put("/api/prompts/routing%2Fdeep%2Fname/labels/canary", Map.of("version", 1)).status()).isEqualTo(200);
        assertThat(api.post("/api/prompts/routing/deep/name/render?label=canary",
                Map.of("variables", Map.of("x", "1", "history", List.of(), "question", "q"))).status()).isEqualTo(200);
        assertThat(api.get("/api/prompts/routing/deep/name/diff?from=1&to=1").status()).isEqualTo(200);
        assertThat(api.get("/api/prompts/routing/deep").status()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocumentNamesThePromptPathParameter() {
        JsonNode render = server.anonymous().get("/api/openapi.json").json().path("paths")
                .path("/api/prompts/{name}/render").path("post");
        assertThat(render.path("parameters").get(0).path("name").asText()).isEqualTo("name");
    }

    @Test
    void invalidNamesAndLabelsAreRejectedClearly() {
        for (String name : List.of("", "/lead", "trail/", "a//b", "a/../b", "has space", "x/versions", "render")) {
            Http.Response r = api.post("/api/prompts", prompt(name, "x", 0, "m"));
            assertThat(r.status()).as(name).isEqualTo(422);
        }
        assertThat(api.post("/api/prompts", prompt("ok/name", "x", 0, "m", "Bad Label")).status()).isEqualTo(422);
        assertThat(api.post("/api/prompts", prompt("ok/name", "x", 0, "m", "latest")).status()).isEqualTo(422);
        assertThat(api.post("/api/prompts", Map.of("name", "ok/name", "messages", List.of(Map.of("role", "robot",
                "content", "x")))).status()).isEqualTo(422);
        assertThat(api.post("/api/prompts", Map.of("name", "ok/name", "text", "x", "model",
                Map.of("temperature", 5))).status()).isEqualTo(422);
        assertThat(api.post("/api/prompts", Map.of("name", "ok/name", "messages", "not a list")).status()).isEqualTo(400);
        assertThat(api.get("/api/prompts/ok/name?version=abc").status()).isEqualTo(400);
    }

    @Test
    void labelsDeployVersionsRollBackAndAreAudited() {
        api.post("/api/prompts", prompt("deploy/me", "v1", 0.2, "one", "staging"));
        api.post("/api/prompts", prompt("deploy/me", "v2", 0.2, "two"));
        assertThat(api.get("/api/prompts/deploy/me?label=staging").json().path("version").asInt()).isEqualTo(1);
        assertThat(api.get("/api/prompts/deploy/me?label=production").status()).isEqualTo(404);

        Http.Response deploy = api.put("/api/prompts/deploy/me/labels/production", Map.of("version", 2));
        assertThat(deploy.status()).as(deploy.body()).isEqualTo(200);
        assertThat(deploy.json().path("labels")).extracting(JsonNode::asText).contains("production");
        assertThat(api.get("/api/prompts/deploy/me?label=production").json().path("version").asInt()).isEqualTo(2);

        assertThat(api.put("/api/prompts/deploy/me/labels/production", Map.of("version", 1)).status()).isEqualTo(200);
        assertThat(api.get("/api/prompts/deploy/me?label=production").json().path("version").asInt()).isEqualTo(1);
        assertThat(api.get("/api/prompts/deploy/me?label=latest").json().path("version").asInt()).isEqualTo(2);
        assertThat(api.put("/api/prompts/deploy/me/labels/production", Map.of("version", 9)).status()).isEqualTo(404);
        assertThat(api.put("/api/prompts/deploy/me/labels/latest", Map.of("version", 1)).status()).isEqualTo(422);

        List<String> deploys = new ArrayList<>();
        api.get("/api/audit?limit=100").json().path("data").forEach(e -> {
            JsonNode summary = readTree(e.path("summary").asText());
            if (e.path("action").asText().equals("prompt.deploy") && summary.path("name").asText().equals("deploy/me")) {
                deploys.add(summary.path("label").asText() + ":" + summary.path("after").path("version").asInt());
            }
        });
        assertThat(deploys).containsExactly("production:1", "production:2", "staging:1");
    }

    private static JsonNode readTree(String json) {
        try {
            return dev.sextant.server.http.Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void onlyEngineersAndAdminsMoveProduction() {
        Project project = server.project();
        server.member(project, Role.EXPERT, "expert@prompts.test");
        server.member(project, Role.ENGINEER, "engineer@prompts.test");
        Http expert = WebSession.login(server.url(), "expert@prompts.test", "password-expert").http()
                .withHeader(Authenticator.PROJECT_HEADER, project.slug());
        Http engineer = WebSession.login(server.url(), "engineer@prompts.test", "password-engineer").http()
                .withHeader(Authenticator.PROJECT_HEADER, project.slug());

        Http.Response created = expert.post("/api/prompts", prompt("roles/answer", "by expert", 0.2, "expert edit"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("author").asText()).isEqualTo("expert@prompts.test");

        Http.Response denied = expert.put("/api/prompts/roles/answer/labels/production", Map.of("version", 1));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).contains("production");
        assertThat(expert.put("/api/prompts/roles/answer/labels/staging", Map.of("version", 1)).status()).isEqualTo(200);

        Http.Response sneaky = expert.post("/api/prompts", prompt("roles/answer", "changed", 0.2, "x", "production"));
        assertThat(sneaky.status()).isEqualTo(403);
        assertThat(api.get("/api/prompts/roles/answer").json().path("version").asInt())
                .as("the refused save left no version behind").isEqualTo(1);

        assertThat(engineer.put("/api/prompts/roles/answer/labels/production", Map.of("version", 1)).status()).isEqualTo(200);
        assertThat(api.get("/api/prompts/roles/answer?label=production").json().path("version").asInt()).isEqualTo(1);
    }

    @Test
    void renderingFillsVariablesExpandsHistoryAndNamesWhatIsMissing() {
        api.post("/api/prompts", prompt("render/chat", "Help with {{product}}. No <escaping> & such.", 0.2, "one", "production"));
        Http.Response ok = api.post("/api/prompts/render/chat/render?label=production", Map.of("variables", Map.of(
                "product", "Sextant", "question", "How?",
                "history", List.of(Map.of("role", "user", "content", "Hi"), Map.of("role", "assistant", "content", "Hello")))));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().path("version").asInt()).isEqualTo(1);
        assertThat(ok.json().path("messages")).extracting(m -> m.path("role").asText() + ": " + m.path("content").asText())
                .containsExactly("system: Help with Sextant. No <escaping> & such.", "user: Hi", "assistant: Hello",
                        "user: How?");
        assertThat(ok.json().path("model").path("name").asText()).isEqualTo("sim-1");

        Http.Response missing = api.post("/api/prompts/render/chat/render", Map.of("variables",
                Map.of("question", "q", "history", List.of())));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorCode()).isEqualTo("missing_variable");
        assertThat(missing.json().path("error").path("message").asText()).isEqualTo("missing variable: product");

        Http.Response noHistory = api.post("/api/prompts/render/chat/render", Map.of("variables",
                Map.of("product", "p", "question", "q")));
        assertThat(noHistory.json().path("messages")).extracting(m -> m.path("role").asText())
                .as("an absent placeholder inserts nothing").containsExactly("system", "user");

        Http.Response badHistory = api.post("/api/prompts/render/chat/render", Map.of("variables",
                Map.of("product", "p", "question", "q", "history", "not messages")));
        assertThat(badHistory.status()).isEqualTo(400);

        Http.Response invalid = api.post("/api/prompts", Map.of("name", "render/broken", "text", "{{#open}} never closed"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errorCode()).isEqualTo("invalid_template");

        api.post("/api/prompts", Map.of("name", "render/text", "text", "Summarize: {{doc}}"));
        Http.Response text = api.post("/api/prompts/render/text/render", Map.of("variables", Map.of("doc", "abc")));
        assertThat(text.json().path("text").asText()).isEqualTo("Summarize: abc");
        assertThat(text.json().has("messages")).isFalse();
    }

    @Test
    void fetchingSupportsETagsAndAChangedLabelChangesTheTag() {
        api.post("/api/prompts", prompt("etag/p", "v1", 0.2, "one", "production"));
        Http.Response first = api.get("/api/prompts/etag/p?label=production");
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        Http.Response cached = api.withHeader("If-None-Match", etag).get("/api/prompts/etag/p?label=production");
        assertThat(cached.status()).isEqualTo(304);
        assertThat(cached.bytes()).isEmpty();
        assertThat(api.withHeader("If-None-Match", "\"other\", W/" + etag).get("/api/prompts/etag/p?label=production")
                .status()).isEqualTo(304);
        assertThat(api.withHeader("If-None-Match", "\"other\"").get("/api/prompts/etag/p?label=production")
                .status()).isEqualTo(200);

        api.post("/api/prompts", prompt("etag/p", "v2", 0.2, "two"));
        api.put("/api/prompts/etag/p/labels/production", Map.of("version", 2));
        Http.Response changed = api.withHeader("If-None-Match", etag).get("/api/prompts/etag/p?label=production");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("version").asInt()).isEqualTo(2);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void diffShowsTemplateLinesAndConfigFields() {
        api.post("/api/prompts", prompt("diff/p", "Be brief.\nAnswer about {{product}}.", 0.2, "one"));
        api.post("/api/prompts", prompt("diff/p", "Be thorough.\nAnswer about {{product}}.", 0.9, "two"));
        Http.Response diff = api.get("/api/prompts/diff/p/diff?from=1&to=2");
        assertThat(diff.status()).as(diff.body()).isEqualTo(200);
        JsonNode body = diff.json();
        List<String> changed = new ArrayList<>();
        body.path("lines").forEach(l -> {
            if (!l.path("op").asText().equals("equal")) {
                changed.add(l.path("op").asText() + " " + l.path("text").asText());
            }
        });
        assertThat(changed).containsExactly("delete Be brief.", "insert Be thorough.");
        assertThat(body.path("unified").asText()).contains("-Be brief.", "+Be thorough.");
        assertThat(body.path("config")).hasSize(1);
        assertThat(body.path("config").get(0).path("field").asText()).isEqualTo("model.temperature");
        assertThat(body.path("config").get(0).path("from").asDouble()).isEqualTo(0.2);
        assertThat(body.path("config").get(0).path("to").asDouble()).isEqualTo(0.9);
        assertThat(api.get("/api/prompts/diff/p/diff?from=1").status()).isEqualTo(400);
        assertThat(api.get("/api/prompts/diff/p/diff?from=1&to=7").status()).isEqualTo(404);
    }

    @Test
    void listingSearchesNamesAndPaginatesByCursor() {
        for (String name : List.of("list/a", "list/b", "list/c", "other/list-d", "zzz/e")) {
            api.post("/api/prompts", prompt(name, "x", 0.2, "one", "staging"));
        }
        JsonNode page1 = api.get("/api/prompts?q=LIST&limit=2").json();
        assertThat(page1.path("data")).extracting(p -> p.path("name").asText()).containsExactly("list/a", "list/b");
        assertThat(page1.path("data").get(0).path("labels").path("staging").asInt()).isEqualTo(1);
        assertThat(page1.path("data").get(0).path("latestVersion").asInt()).isEqualTo(1);
        String cursor = page1.path("nextCursor").asText();
        JsonNode page2 = api.get("/api/prompts?q=list&limit=2&cursor=" + java.net.URLEncoder.encode(cursor,
                java.nio.charset.StandardCharsets.UTF_8)).json();
        assertThat(page2.path("data")).extracting(p -> p.path("name").asText()).containsExactly("list/c", "other/list-d");
        assertThat(page2.path("nextCursor").isNull() || page2.path("nextCursor").isMissingNode()).isTrue();
        assertThat(api.get("/api/prompts?q=%25").json().path("data")).isEmpty();
    }

    @Test
    void promptsBelongToOneProject() {
        api.post("/api/prompts", prompt("iso/secret", "only here", 0.2, "one"));
        Project other = server.newProject("Other prompts project");
        Http otherApi = server.anonymous().withKey(server.newKey(other, ApiKey.Kind.SECRET));
        assertThat(otherApi.get("/api/prompts/iso/secret").status()).isEqualTo(404);
        assertThat(otherApi.get("/api/prompts").json().path("data")).isEmpty();
        assertThat(otherApi.put("/api/prompts/iso/secret/labels/production", Map.of("version", 1)).status()).isEqualTo(404);
        Http.Response own = otherApi.post("/api/prompts", prompt("iso/secret", "mine", 0.2, "one"));
        assertThat(own.status()).isEqualTo(201);
        assertThat(own.json().path("version").asInt()).isEqualTo(1);
        assertThat(api.get("/api/prompts/iso/secret").json().path("messages").get(0).path("content").asText())
                .isEqualTo("only here");
    }
}
