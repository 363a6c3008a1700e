package dev.sextant.server.evaluators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.Role;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EvaluatorApiTest {

    static Map<String, Object> contains(String name, String value) {
        return Map.of("name", name, "kind", "code", "description", "mentions " + value,
                "config", Map.of("builtin", "contains", "params", Map.of("value", value)));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void evaluatorsAreVersionedImmutablyAndIdenticalSavesAreDeduplicated(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            Http.Response first = api.post("/api/evaluators", contains("mentions-refund", "refund"));
            assertThat(first.status()).as(first.body()).isEqualTo(201);
            assertThat(first.json().path("version").asInt()).isEqualTo(1);
            assertThat(first.json().path("outputType").path("type").asText()).isEqualTo("boolean");
            assertThat(first.json().path("passRule").path("op").asText()).isEqualTo("true");
            assertThat(first.json().path("reads").get(0).asText()).isEqualTo("output");
            assertThat(first.json().path("contentHash").asText()).hasSize(64);

            Http.Response same = api.post("/api/evaluators", contains("mentions-refund", "refund"));
            assertThat(same.status()).isEqualTo(200);
            assertThat(same.json().path("version").asInt()).isEqualTo(1);

            Http.Response second = api.post("/api/evaluators", contains("mentions-refund", "money back"));
            assertThat(second.status()).isEqualTo(201);
            assertThat(second.json().path("version").asInt()).isEqualTo(2);

            assertThat(api.get("/api/evaluators/mentions-refund").json().path("config").path("params")
                    .path("value").asText()).isEqualTo("money back");
            assertThat(api.get("/api/evaluators/mentions-refund?version=1").json().path("config").path("params")
                    .path("value").asText()).isEqualTo("refund");
            JsonNode versions = api.get("/api/evaluators/mentions-refund/versions").json().path("data");
            assertThat(versions).hasSize(2);
            assertThat(versions.get(0).path("version").asInt()).isEqualTo(2);
            assertThat(versions.get(0).path("createdBy").asText()).startsWith("key ");

            JsonNode audit = api.get("/api/audit").json().path("data");
            assertThat(audit.findValuesAsText("action")).containsSubsequence("evaluator.version", "evaluator.create");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void listingSearchesByNameAndPagesWithACursor(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            for (String name : List.of("tone_check", "refund-mention", "no-pii", "refund-policy")) {
                assertThat(api.post("/api/evaluators", contains(name, "x")).status()).isEqualTo(201);
            }
            JsonNode page = api.get("/api/evaluators?limit=2").json();
            assertThat(page.path("data").findValuesAsText("name")).containsExactly("no-pii", "refund-mention");
            JsonNode next = api.get("/api/evaluators?limit=2&cursor=" + page.path("nextCursor").asText()).json();
            assertThat(next.path("data").findValuesAsText("name")).containsExactly("refund-policy", "tone_check");
            assertThat(next.path("nextCursor").isMissingNode() || next.path("nextCursor").isNull()).isTrue();
            assertThat(api.get("/api/evaluators?search=REFUND").json().path("data").findValuesAsText("name"))
                    .containsExactly("refund-mention", "refund-policy");
            // LIKE wildcards in the search are literal.
            assertThat(api.get("/api/evaluators?search=_").json().path("data").findValuesAsText("name"))
                    .containsExactly("tone_check");
        }
    }

    @Test
    void badDefinitionsAreClear422s() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            assertThat(api.post("/api/evaluators", Map.of("name", "bad name!", "kind", "code",
                    "config", Map.of("builtin", "contains", "params", Map.of("value", "a")))).status()).isEqualTo(422);
            assertThat(api.post("/api/evaluators", contains("new", "a")).status()).isEqualTo(422);
            Http.Response unknown = api.post("/api/evaluators", Map.of("name", "x", "kind", "code",
                    "config", Map.of("builtin", "sparkles")));
            assertThat(unknown.status()).isEqualTo(422);
            assertThat(unknown.body()).contains("unknown built-in");
            Http.Response kind = api.post("/api/evaluators", Map.of("name", "x", "kind", "magic", "config", Map.of()));
            assertThat(kind.status()).isEqualTo(400);
            Http.Response rule = api.post("/api/evaluators", Map.of("name", "x", "kind", "code",
                    "config", Map.of("builtin", "contains", "params", Map.of("value", "a")),
                    "passRule", Map.of("op", "gte", "threshold", 0.5)));
            assertThat(rule.status()).isEqualTo(422);
            assertThat(rule.body()).contains("does not apply");
            Http.Response category = api.post("/api/evaluators", Map.of("name", "x", "kind", "code",
                    "config", Map.of("cel", "output.size() > 10 ? 'long' : 'short'"),
                    "outputType", Map.of("type", "category", "categories", List.of("long", "short")),
                    "passRule", Map.of("op", "in", "values", List.of("medium"))));
            assertThat(category.status()).isEqualTo(422);
            assertThat(category.body()).contains("subset");
            assertThat(api.post("/api/evaluators", Map.of("name", "len", "kind", "code",
                    "config", Map.of("cel", "output.size() > 10 ? 'long' : 'short'"),
                    "outputType", Map.of("type", "category", "categories", List.of("long", "short")),
                    "passRule", Map.of("op", "in", "values", List.of("short")))).status()).isEqualTo(201);
            Http.Response kindChange = api.post("/api/evaluators", Map.of("name", "len", "kind", "llm",
                    "config", Map.of("preset", "answers-question")));
            assertThat(kindChange.status()).isEqualTo(409);
            assertThat(api.get("/api/evaluators/nope").status()).isEqualTo(404);
            assertThat(api.get("/api/evaluators/len?version=7").status()).isEqualTo(404);
            assertThat(api.get("/api/evaluators/len?version=x").status()).isEqualTo(400);
        }
    }

    @Test
    void viewersReadButOnlyExpertsAndSecretKeysWrite() {
        try (TestServer server = TestServer.start()) {
            server.member(server.project(), Role.VIEWER, "viewer@test.local");
            var viewer = dev.sextant.server.support.WebSession.login(server.url(), "viewer@test.local",
                    "password-" + Role.VIEWER.id());
            assertThat(server.api().post("/api/evaluators", contains("a", "b")).status()).isEqualTo(201);
            Http http = viewer.http().withHeader("X-Sextant-Project", server.project().slug());
            assertThat(http.get("/api/evaluators/a").status()).isEqualTo(200);
            assertThat(http.post("/api/evaluators", contains("c", "d")).status()).isEqualTo(403);
        }
    }

    @Test
    void tryItRunsAnUnsavedDefinitionOnAPastedExample() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            Http.Response judged = api.post("/api/evaluators/try", Map.of(
                    "evaluator", Map.of("kind", "code", "config", Map.of("builtin", "contains-all",
                            "params", Map.of("values", List.of("refund", "14 days"), "caseSensitive", false))),
                    "example", Map.of("output", "A Refund is possible within 14 days.")));
            assertThat(judged.status()).as(judged.body()).isEqualTo(200);
            assertThat(judged.json().path("value").asBoolean()).isTrue();
            assertThat(judged.json().path("passed").asBoolean()).isTrue();
            assertThat(judged.json().path("reason").asText()).contains("contains all");

            Http.Response cel = api.post("/api/evaluators/try", Map.of(
                    "evaluator", Map.of("kind", "code", "config", Map.of("cel",
                            "output.size() <= 20 && input.lang == 'en' && latencyMs < 500")),
                    "example", Map.of("output", "short", "input", Map.of("lang", "en"), "latencyMs", 120)));
            assertThat(cel.json().path("passed").asBoolean()).as(cel.body()).isTrue();

            Http.Response judge = api.post("/api/evaluators/try", Map.of(
                    "evaluator", Map.of("kind", "llm", "config", Map.of("preset", "answers-question")),
                    "example", Map.of("output", "yes", "input", Map.of("question", "ok?"))));
            // The judge runs through the gateway against the sim, whose script answers judge prompts.
            assertThat(judge.status()).isEqualTo(200);
            assertThat(judge.json().path("error").asBoolean()).as(judge.body()).isFalse();
            assertThat(judge.json().path("passed").asBoolean()).isTrue();
            assertThat(judge.json().path("reason").asText()).contains("addresses the question");

            assertThat(api.post("/api/evaluators/try", Map.of("evaluator", Map.of("kind", "code",
                    "config", Map.of("builtin", "contains")), "example", Map.of("output", "x"))).status()).isEqualTo(422);
            assertThat(api.post("/api/evaluators/try", Map.of("example", Map.of("output", "x"))).status()).isEqualTo(422);
        }
    }

    @Test
    void theLibraryListsBuiltinsAndPresets() {
        try (TestServer server = TestServer.start()) {
            JsonNode library = server.api().get("/api/evaluator-library").json();
            assertThat(library.path("builtins").findValuesAsText("name")).contains("equals", "contains", "contains-any",
                    "contains-all", "regex", "starts-with", "is-json", "json-schema", "levenshtein", "rouge-l", "bleu",
                    "semantic-similarity", "max-latency", "max-cost", "max-tokens", "length", "tool-call");
            assertThat(library.path("presets").findValuesAsText("id")).containsExactly("answers-question",
                    "grounded-in-context", "contains-required-points", "tone-fits-audience", "no-pii",
                    "refuses-when-it-should", "follows-format");
        }
    }

    @Test
    void theDemoScorecardHasEvaluatorsOfAllThreeKindsAndReseedsWithoutNewVersions() throws Exception {
        try (TestServer server = TestServer.start()) {
            var context = new dev.sextant.server.demo.DemoContext(server.project(), server.admin(),
                    dev.sextant.server.auth.Principal.ofUser(server.admin()), TestServer.API_KEY, server.url());
            new EvaluatorDemoSeeder().seed(context);
            new EvaluatorDemoSeeder().seed(context);
            JsonNode all = server.api().get("/api/evaluators").json().path("data");
            assertThat(all).hasSize(EvaluatorDemoSeeder.scorecard().size());
            assertThat(all.findValuesAsText("kind")).contains("code", "llm", "human");
            all.forEach(e -> assertThat(e.path("version").asInt()).isEqualTo(1));
        }
    }
}
