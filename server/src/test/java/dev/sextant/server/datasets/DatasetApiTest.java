package dev.sextant.server.datasets;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatasetApiTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void changesMakeVersionsItemsKeepTheirIdsAndOldVersionsStayAsTheyWere(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            Http.Response created = api.post("/api/datasets", Map.of("name", "refunds", "description", "Refund questions",
                    "items", List.of(item("How do I get a refund?", "Open Billing → Refund."))));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("latestVersion").asInt()).isEqualTo(1);

            Http.Response added = api.post("/api/datasets/refunds/items", Map.of("items", List.of(
                    item("Can I get a refund after 30 days?", "No, only within 30 days."),
                    item("Is shipping refunded?", "Yes, in full."))));
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            assertThat(added.json().path("version").asInt()).isEqualTo(2);
            List<String> ids = ids(api.get("/api/datasets/refunds/items").json());
            assertThat(ids).hasSize(3);

            Http.Response edited = api.patch("/api/datasets/refunds/items/" + ids.get(1),
                    Map.of("expectedOutput", "Only within 30 days of purchase.", "metadata", Map.of("topic", "refunds")));
            assertThat(edited.status()).as(edited.body()).isEqualTo(200);
            assertThat(edited.json().path("version").asInt()).isEqualTo(3);
            Http.Response deleted = api.post("/api/datasets/refunds/items/delete", Map.of("ids", List.of(ids.get(2))));
            assertThat(deleted.json().path("version").asInt()).isEqualTo(4);

            JsonNode dataset = api.get("/api/datasets/refunds").json();
            assertThat(dataset.path("latestVersion").asInt()).isEqualTo(4);
            assertThat(dataset.path("itemCount").asInt()).isEqualTo(2);
            JsonNode v2 = api.get("/api/datasets/refunds/items?version=2").json();
            assertThat(v2.path("version").asInt()).isEqualTo(2);
            assertThat(ids(v2)).isEqualTo(ids);
            assertThat(v2.path("data").get(1).path("expectedOutput").asText()).isEqualTo("No, only within 30 days.");
            JsonNode latest = api.get("/api/datasets/refunds/items").json();
            assertThat(ids(latest)).containsExactly(ids.get(0), ids.get(1));
            assertThat(latest.path("data").get(1).path("expectedOutput").asText())
                    .isEqualTo("Only within 30 days of purchase.");
            assertThat(latest.path("data").get(1).path("revision").asInt()).isEqualTo(3);
            assertThat(api.get("/api/datasets/refunds/items/" + ids.get(2) + "?version=3").status()).isEqualTo(200);
            assertThat(api.get("/api/datasets/refunds/items/" + ids.get(2)).status()).isEqualTo(404);
            assertThat(api.get("/api/datasets/refunds/items?version=9").status()).isEqualTo(404);

            JsonNode versions = api.get("/api/datasets/refunds/versions").json().path("data");
            assertThat(versions).hasSize(4);
            assertThat(versions.get(0).path("change").asText()).isEqualTo("delete");
            assertThat(versions.get(1).path("note").asText()).contains(ids.get(1)).contains("expected output");
            assertThat(versions.get(0).path("createdBy").asText()).startsWith("key ");
            JsonNode editChanges = api.get("/api/datasets/refunds/versions/3").json();
            assertThat(editChanges.path("edited").get(0).path("before").path("expectedOutput").asText())
                    .isEqualTo("No, only within 30 days.");
            assertThat(editChanges.path("edited").get(0).path("after").path("expectedOutput").asText())
                    .isEqualTo("Only within 30 days of purchase.");
            assertThat(editChanges.path("added")).isEmpty();
            JsonNode deleteChanges = api.get("/api/datasets/refunds/versions/4").json();
            assertThat(deleteChanges.path("deleted").findValuesAsText("id")).containsExactly(ids.get(2));
            assertThat(deleteChanges.path("edited")).isEmpty();
            assertThat(api.get("/api/datasets/refunds/versions/2").json().path("added")).hasSize(2);
            assertThat(api.get("/api/datasets/refunds/versions/5").status()).isEqualTo(404);
            assertThat(api.get("/api/datasets/refunds/versions/x").status()).isEqualTo(400);
            JsonNode audit = api.get("/api/audit").json().path("data");
            assertThat(audit.findValuesAsText("action")).contains("dataset.create", "dataset.add", "dataset.edit",
                    "dataset.delete");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void csvImportWithAMappingRoundTripsThroughExport(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            api.post("/api/datasets", Map.of("name", "support"));
            String csv = """
                    question,answer,topic,ignored
                    "How do I reset my password?","Use “Forgot password” on the login page.",account,x
                    "Can I pay by invoice, yearly?","Yes, on the Business plan.
                    Ask sales.",billing,y
                    """;
            Http.Response imported = api.post("/api/datasets/support/import?format=csv", Map.of("content", csv,
                    "mapping", Map.of("input.question", "question", "expected", "answer", "metadata.topic", "topic")));
            assertThat(imported.status()).as(imported.body()).isEqualTo(201);
            assertThat(imported.json().path("imported").asInt()).isEqualTo(2);
            assertThat(imported.json().path("version").asInt()).isEqualTo(2);

            JsonNode items = api.get("/api/datasets/support/items").json().path("data");
            assertThat(items.get(1).path("input").path("question").asText()).isEqualTo("Can I pay by invoice, yearly?");
            assertThat(items.get(1).path("expectedOutput").asText()).isEqualTo("Yes, on the Business plan.\nAsk sales.");
            assertThat(items.get(1).path("metadata").path("topic").asText()).isEqualTo("billing");
            assertThat(items.get(0).path("input").has("ignored")).isFalse();

            Http.Response export = api.get("/api/datasets/support/export?format=csv&version=2");
            assertThat(export.status()).isEqualTo(200);
            assertThat(export.header("Content-Type")).startsWith("text/csv");
            assertThat(export.header("Content-Disposition")).contains("support-v2.csv");
            assertThat(export.body()).startsWith("id,input.question,expected,metadata.topic");

            api.post("/api/datasets", Map.of("name", "support copy"));
            Http.Response reimported = api.send("POST", "/api/datasets/support%20copy/import?format=csv", "text/csv",
                    export.bytes());
            assertThat(reimported.status()).as(reimported.body()).isEqualTo(201);
            JsonNode copy = api.get("/api/datasets/support%20copy/items").json().path("data");
            assertThat(contents(copy)).isEqualTo(contents(items));
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void jsonlImportWithNestedFieldsRoundTripsThroughExport(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            api.post("/api/datasets", Map.of("name", "chats"));
            String jsonl = """
                    {"q": "Where is my order?", "a": {"answer": "Check Orders.", "confidence": 0.9}, "meta": {"topic": "shipping"}, "history": [{"role": "user", "content": "hi"}]}

                    {"q": "Cancel my plan", "a": "Settings → Plan → Cancel.", "meta": {"topic": "billing"}}
                    """;
            Http.Response imported = api.send("POST", "/api/datasets/chats/import?format=jsonl&mapping="
                            + java.net.URLEncoder.encode("{\"input.question\":\"q\",\"expected\":\"a\","
                            + "\"metadata.topic\":\"meta.topic\",\"messages\":\"history\"}", java.nio.charset.StandardCharsets.UTF_8),
                    "application/x-ndjson", jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(imported.status()).as(imported.body()).isEqualTo(201);
            JsonNode items = api.get("/api/datasets/chats/items").json().path("data");
            assertThat(items.get(0).path("expectedOutput").path("confidence").asDouble()).isEqualTo(0.9);
            assertThat(items.get(0).path("messages").get(0).path("role").asText()).isEqualTo("user");
            assertThat(items.get(1).path("metadata").path("topic").asText()).isEqualTo("billing");

            Http.Response export = api.get("/api/datasets/chats/export?format=jsonl");
            assertThat(export.body().lines()).hasSize(2);
            api.post("/api/datasets", Map.of("name", "chats-copy"));
            Http.Response reimported = api.post("/api/datasets/chats-copy/import",
                    Map.of("format", "jsonl", "content", export.body()));
            assertThat(reimported.status()).as(reimported.body()).isEqualTo(201);
            assertThat(contents(api.get("/api/datasets/chats-copy/items").json().path("data"))).isEqualTo(contents(items));
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void concurrentChangesEachGetTheirOwnVersionAndTheCountsAddUp(Dialect dialect) throws Exception {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            api.post("/api/datasets", Map.of("name", "busy"));
            int writers = 8;
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(writers)) {
                List<java.util.concurrent.Future<Http.Response>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    int n = i;
                    results.add(pool.submit(() -> api.post("/api/datasets/busy/items",
                            Map.of("items", List.of(item("q" + n, "a" + n), item("r" + n, "b" + n))))));
                }
                for (var result : results) {
                    assertThat(result.get().status()).as(result.get().body()).isEqualTo(201);
                }
            }
            JsonNode dataset = api.get("/api/datasets/busy").json();
            assertThat(dataset.path("latestVersion").asInt()).isEqualTo(writers + 1);
            assertThat(dataset.path("itemCount").asInt()).isEqualTo(2 * writers);
            JsonNode versions = api.get("/api/datasets/busy/versions").json().path("data");
            for (int i = 0; i < writers; i++) {
                JsonNode v = versions.get(i);
                assertThat(v.path("itemCount").asInt()).isEqualTo(2 * (writers - i));
                assertThat(api.get("/api/datasets/busy/items?limit=500&version=" + v.path("version").asInt()).json()
                        .path("data")).hasSize(2 * (writers - i));
            }
        }
    }

    @Test
    void exportsStreamEveryItemOfLargeVersions() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) {
                items.add(i == 2_499 ? Map.of("input", Map.of("question", "last", "extra", "only here"),
                        "expectedOutput", "z") : item("q" + i, "a" + i));
            }
            assertThat(api.post("/api/datasets", Map.of("name", "big", "items", items)).status()).isEqualTo(201);

            List<String> csv = api.get("/api/datasets/big/export?format=csv").body().lines().toList();
            assertThat(csv).hasSize(2_501);
            assertThat(csv.getFirst()).isEqualTo("id,input.question,input.extra,expected");
            assertThat(csv.getLast()).endsWith(",last,\"only here\",z");
            assertThat(api.get("/api/datasets/big/export?format=jsonl").body().lines()).hasSize(2_500);
        }
    }

    @Test
    void aFileCanBeUploadedAsMultipartWithTheFormatTakenFromItsName() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            api.post("/api/datasets", Map.of("name", "uploads"));
            String boundary = "sextant-boundary";
            String body = "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"mapping\"\r\n\r\n"
                    + "{\"input.question\": \"q\", \"expected\": \"a\"}\r\n"
                    + "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"faq.jsonl\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n"
                    + "{\"q\": \"Is there a free plan?\", \"a\": \"Yes.\"}\n{\"q\": \"Is there an API?\", \"a\": \"Yes, REST.\"}\n\r\n"
                    + "--" + boundary + "--\r\n";
            Http.Response imported = api.send("POST", "/api/datasets/uploads/import",
                    "multipart/form-data; boundary=" + boundary, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));

            assertThat(imported.status()).as(imported.body()).isEqualTo(201);
            assertThat(imported.json().path("imported").asInt()).isEqualTo(2);
            assertThat(imported.json().path("mapping").path("expected").asText()).isEqualTo("a");
            assertThat(api.get("/api/datasets/uploads/items").json().path("data").get(1).path("expectedOutput").asText())
                    .isEqualTo("Yes, REST.");
        }
    }

    @Test
    void badFilesAreRejectedNamingTheLineAndNothingIsStored() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            api.post("/api/datasets", Map.of("name", "strict"));
            Map<String, String> mapping = Map.of("input.question", "question", "expected", "answer");

            Http.Response missingColumn = api.post("/api/datasets/strict/import?format=csv",
                    Map.of("content", "question,reply\nhi,hello\n", "mapping", mapping));
            assertThat(missingColumn.status()).isEqualTo(422);
            assertThat(missingColumn.body()).contains("line 1").contains("answer");

            Http.Response ragged = api.post("/api/datasets/strict/import?format=csv",
                    Map.of("content", "question,answer\na,b\nc,d\ne,f,g\n", "mapping", mapping));
            assertThat(ragged.status()).isEqualTo(422);
            assertThat(ragged.body()).contains("line 4").contains("expected 2 columns");

            Http.Response unclosedQuote = api.post("/api/datasets/strict/import?format=csv",
                    Map.of("content", "question,answer\na,b\n\"c,d\n"));
            assertThat(unclosedQuote.status()).isEqualTo(422);
            assertThat(unclosedQuote.body()).contains("malformed CSV");

            Http.Response malformedJson = api.post("/api/datasets/strict/import?format=jsonl",
                    Map.of("content", "{\"question\": \"a\", \"answer\": \"b\"}\n{\"question\": \"c\",\n", "mapping", mapping));
            assertThat(malformedJson.status()).isEqualTo(422);
            assertThat(malformedJson.body()).contains("line 2").contains("malformed JSON");

            Http.Response missingField = api.post("/api/datasets/strict/import?format=jsonl",
                    Map.of("content", "{\"question\": \"a\"}\n{\"answer\": \"b\"}\n", "mapping", mapping));
            assertThat(missingField.status()).isEqualTo(422);
            assertThat(missingField.body()).contains("line 2").contains("question");

            Http.Response badTarget = api.post("/api/datasets/strict/import?format=csv",
                    Map.of("content", "question\nhi\n", "mapping", Map.of("output", "question")));
            assertThat(badTarget.status()).isEqualTo(422);
            assertThat(badTarget.body()).contains("unknown target");

            assertThat(api.post("/api/datasets/strict/import?format=xml", Map.of("content", "<a/>")).status())
                    .isEqualTo(400);
            assertThat(api.post("/api/datasets/strict/import?format=csv", Map.of("content", "")).status())
                    .isEqualTo(422);
            JsonNode dataset = api.get("/api/datasets/strict").json();
            assertThat(dataset.path("latestVersion").asInt()).isEqualTo(1);
            assertThat(dataset.path("itemCount").asInt()).isEqualTo(0);
        }
    }

    @Test
    void badItemsAndNamesGetClearErrors() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            assertThat(api.post("/api/datasets", Map.of("name", "")).status()).isEqualTo(422);
            assertThat(api.post("/api/datasets", Map.of("name", "a/b")).status()).isEqualTo(422);
            assertThat(api.post("/api/datasets", Map.of("name", "ok")).status()).isEqualTo(201);
            assertThat(api.post("/api/datasets", Map.of("name", "ok")).status()).isEqualTo(409);

            Http.Response noInput = api.post("/api/datasets/ok/items", Map.of("items", List.of(Map.of("expectedOutput", "x"))));
            assertThat(noInput.status()).isEqualTo(422);
            assertThat(noInput.body()).contains("items[0]");
            Http.Response badMessages = api.post("/api/datasets/ok/items",
                    Map.of("input", Map.of("q", "x"), "messages", List.of(Map.of("content", "no role"))));
            assertThat(badMessages.status()).isEqualTo(422);
            assertThat(api.post("/api/datasets/ok/items", Map.of("input", "not an object")).status()).isEqualTo(422);
            assertThat(api.patch("/api/datasets/ok/items/nope", Map.of("expectedOutput", "x")).status()).isEqualTo(404);
            assertThat(api.post("/api/datasets/ok/items/delete", Map.of("ids", List.of())).status()).isEqualTo(422);
            assertThat(api.get("/api/datasets/ok/items?version=abc").status()).isEqualTo(400);
            assertThat(api.get("/api/datasets?cursor=***").status()).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void itemsAndDatasetsArePaginatedWithCursors(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                items.add(item("question " + i, "answer " + i));
            }
            api.post("/api/datasets", Map.of("name", "paged", "items", items));
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = api.get("/api/datasets/paged/items?limit=10" + (cursor == null ? "" : "&cursor=" + cursor))
                        .json();
                page.path("data").forEach(i -> seen.add(i.path("expectedOutput").asText()));
                cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode()
                        ? null : page.path("nextCursor").asText();
                pages++;
            } while (cursor != null);
            assertThat(pages).isEqualTo(3);
            assertThat(seen).hasSize(25).startsWith("answer 0", "answer 1").endsWith("answer 24");

            for (String name : List.of("alpha", "beta", "gamma", "delta")) {
                api.post("/api/datasets", Map.of("name", name, "description", name.equals("gamma") ? "Refund cases" : ""));
            }
            JsonNode first = api.get("/api/datasets?limit=2").json();
            assertThat(first.path("data").findValuesAsText("name")).containsExactly("alpha", "beta");
            JsonNode second = api.get("/api/datasets?limit=2&cursor=" + first.path("nextCursor").asText()).json();
            assertThat(second.path("data").findValuesAsText("name")).containsExactly("delta", "gamma");
            assertThat(api.get("/api/datasets?q=REFUND").json().path("data").findValuesAsText("name"))
                    .containsExactly("gamma");
            assertThat(api.get("/api/datasets?q=pag").json().path("data").get(0).path("itemCount").asInt())
                    .isEqualTo(25);
        }
    }

    @Test
    void datasetsAreInvisibleToOtherProjects() {
        try (TestServer server = TestServer.start()) {
            server.api().post("/api/datasets", Map.of("name", "private", "items", List.of(item("q", "a"))));
            Project other = server.newProject("Other");
            Http otherApi = server.anonymous().withKey(server.newKey(other, ApiKey.Kind.SECRET));

            assertThat(otherApi.get("/api/datasets").json().path("data")).isEmpty();
            assertThat(otherApi.get("/api/datasets/private").status()).isEqualTo(404);
            assertThat(otherApi.get("/api/datasets/private/export?format=csv").status()).isEqualTo(404);
            assertThat(otherApi.post("/api/datasets/private/items", item("q", "a")).status()).isEqualTo(404);
            assertThat(otherApi.post("/api/datasets", Map.of("name", "private")).status()).isEqualTo(201);
            assertThat(server.api().get("/api/datasets/private").json().path("itemCount").asInt()).isEqualTo(1);
        }
    }

    @Test
    void viewersReadButOnlyExpertsAndAboveChangeDatasets() {
        try (TestServer server = TestServer.start()) {
            Project project = server.project();
            server.api().post("/api/datasets", Map.of("name", "shared", "items", List.of(item("q", "a"))));
            server.member(project, Role.VIEWER, "viewer@test.local");
            server.member(project, Role.EXPERT, "expert@test.local");
            Http viewer = WebSession.login(server.url(), "viewer@test.local", "password-viewer").http()
                    .withHeader(Authenticator.PROJECT_HEADER, project.slug());
            Http expert = WebSession.login(server.url(), "expert@test.local", "password-expert").http()
                    .withHeader(Authenticator.PROJECT_HEADER, project.slug());

            assertThat(viewer.get("/api/datasets/shared/items").status()).isEqualTo(200);
            assertThat(viewer.get("/api/datasets/shared/export?format=jsonl").status()).isEqualTo(200);
            assertThat(viewer.post("/api/datasets", Map.of("name", "mine")).status()).isEqualTo(403);
            assertThat(viewer.post("/api/datasets/shared/items", item("q2", "a2")).status()).isEqualTo(403);
            assertThat(viewer.post("/api/datasets/shared/import?format=csv", Map.of("content", "q\nx\n")).status())
                    .isEqualTo(403);

            Http.Response added = expert.post("/api/datasets/shared/items", item("q2", "a2"));
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            assertThat(server.api().get("/api/datasets/shared/versions").json().path("data").get(0)
                    .path("createdBy").asText()).isEqualTo("expert@test.local");
        }
    }

    @Test
    void tracesArePromotedWithTheirSourceAndACorrectedExpectedOutput() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            api.post("/api/datasets", Map.of("name", "from prod"));
            Http.Response promoted = api.post("/api/datasets/from%20prod/items/from-traces", Map.of(
                    "mappingDescription", "input.question ← user message; expected ← corrected answer",
                    "records", List.of(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7",
                            "input", Map.of("question", "Do you ship to Canada?"),
                            "expectedOutput", "Yes, in 5-7 business days.", "metadata", Map.of("env", "production")))));
            assertThat(promoted.status()).as(promoted.body()).isEqualTo(201);
            JsonNode item = api.get("/api/datasets/from%20prod/items").json().path("data").get(0);
            assertThat(item.path("sourceTraceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(item.path("sourceSpanId").asText()).isEqualTo("00f067aa0ba902b7");
            assertThat(item.path("expectedOutput").asText()).isEqualTo("Yes, in 5-7 business days.");
            JsonNode version = api.get("/api/datasets/from%20prod/versions").json().path("data").get(0);
            assertThat(version.path("change").asText()).isEqualTo("promote");
            assertThat(version.path("note").asText()).contains("corrected answer");

            assertThat(api.post("/api/datasets/from%20prod/items/from-traces",
                    List.of(Map.of("input", Map.of("q", "x")))).status()).isEqualTo(422);
        }
    }

    static Map<String, Object> item(String question, String answer) {
        return Map.of("input", Map.of("question", question), "expectedOutput", answer);
    }

    static List<String> ids(JsonNode page) {
        return page.path("data").findValuesAsText("id");
    }

    /** Items without identity or bookkeeping, to compare content across datasets. */
    static List<String> contents(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path("input") + "|" + i.path("messages") + "|" + i.path("expectedOutput") + "|"
                + i.path("metadata") + "|" + i.path("sourceTraceId")));
        return out;
    }
}
