package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TraceSearchTest {
    private static final String ORDER = trace(1);
    private static final String REFUND = trace(2);
    private static final String FRENCH = trace(3);

    private static String trace(int n) {
        return String.format("%032x", n);
    }

    /** A trace of one root span, which gives the trace its input, output and start time. */
    private static Map<String, Object> traceIn(String id, String input, String output, String start) {
        return Map.of("spans", List.of(Map.of("id", id.substring(16), "traceId", id, "name", "turn", "input", input,
                "output", output, "startTime", start)));
    }

    /** Ingests each item ({@code spans} or {@code traces} of the native batch) in one request. */
    private static void ingest(Http api, List<Map<String, Object>> items) {
        Map<String, List<Object>> body = new java.util.HashMap<>();
        items.forEach(item -> item.forEach((key, values) -> body.computeIfAbsent(key, k -> new ArrayList<>())
                .addAll((List<?>) values)));
        Http.Response response = api.post("/api/ingest", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static List<String> search(Http api, String q) {
        Http.Response response = api.get("/api/traces?limit=100&q=" + java.net.URLEncoder.encode(q,
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("data").findValuesAsText("id");
    }

    /** Waits until the trace writer has indexed every pending trace (SQLite; PostgreSQL indexes inline). */
    private static void awaitIndexed(TestServer server, Dialect dialect) throws InterruptedException {
        if (dialect != Dialect.SQLITE) {
            return;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT (SELECT COUNT(*) FROM traces WHERE rowid > (SELECT indexed_rowid FROM traces_search_state)) "
                        + "+ (SELECT COUNT(*) FROM traces_search_changed)").mapTo(Integer.class).one()) > 0) {
            assertThat(System.nanoTime()).as("search index caught up").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyWordMustBeAWordOfTheInputOrOutputInAnyCaseOrStartOneWithAStar(Dialect dialect) throws InterruptedException {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            ingest(api, List.of(
                    traceIn(ORDER, "Where is my ORDER 1234?", "It ships Friday.", "2026-11-28T10:00:00Z"),
                    traceIn(REFUND, "Please refund my subscription", "Refund issued.", "2026-11-28T10:00:01Z"),
                    traceIn(FRENCH, "Où est ma commande ?", "Elle arrive vendredi.", "2026-11-28T10:00:02Z")));
            awaitIndexed(server, dialect);

            assertThat(search(api, "order")).containsExactly(ORDER);
            assertThat(search(api, "ORD")).as("whole words").isEmpty();
            assertThat(search(api, "ORD*")).as("a prefix").containsExactly(ORDER);
            assertThat(search(api, "subscr* refund")).containsExactly(REFUND);
            assertThat(search(api, "order 1234")).containsExactly(ORDER);
            assertThat(search(api, "ships")).as("the output").containsExactly(ORDER);
            assertThat(search(api, "refund, subscription!")).containsExactly(REFUND);
            assertThat(search(api, "refund friday")).as("every word is required").isEmpty();
            assertThat(search(api, "der*")).as("inside a word is not a match").isEmpty();
            assertThat(search(api, "my")).containsExactly(REFUND, ORDER);
            assertThat(search(api, "vendredi")).containsExactly(FRENCH);
            if (dialect == Dialect.SQLITE) {
                assertThat(search(api, "ou")).as("accents are ignored").containsExactly(FRENCH);
            }
            assertThat(search(api, "?")).as("no words: a plain substring").containsExactly(FRENCH, ORDER);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aChangedOutputIsFoundByItsNewWordsOnlyAndADeletedTraceNotAtAll(Dialect dialect) throws InterruptedException {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            ingest(api, List.of(traceIn(ORDER, "Where is my order?", "It ships Friday.", "2026-11-28T10:00:00Z"),
                    traceIn(REFUND, "Refund please", "Done.", "2026-11-28T10:00:01Z")));
            awaitIndexed(server, dialect);
            assertThat(search(api, "friday")).containsExactly(ORDER);

            // Whether the writer has re-indexed it yet or not, the answer must be the same.
            ingest(api, List.of(Map.of("traces", List.of(Map.of("id", ORDER, "output", "It ships Monday.")))));
            assertThat(search(api, "monday")).containsExactly(ORDER);
            assertThat(search(api, "friday")).isEmpty();
            awaitIndexed(server, dialect);
            assertThat(search(api, "monday")).containsExactly(ORDER);
            assertThat(search(api, "friday")).isEmpty();

            server.services().database().jdbi().useHandle(h -> h.createUpdate(
                    "DELETE FROM traces WHERE id = :id").bind("id", ORDER).execute());
            assertThat(search(api, "ships")).isEmpty();
            assertThat(search(api, "refund")).containsExactly(REFUND);
            if (dialect == Dialect.SQLITE) {
                int indexed = server.services().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM traces_search WHERE traces_search MATCH 'ships'")
                        .mapTo(Integer.class).one());
                assertThat(indexed).as("the index entry went with the trace").isZero();
            }

            // The newest trace gone, the next one may take its rowid: it must be indexed all the same.
            server.services().database().jdbi().useHandle(h -> h.createUpdate(
                    "DELETE FROM traces WHERE id = :id").bind("id", REFUND).execute());
            ingest(api, List.of(traceIn(FRENCH, "Où est ma commande ?", "Elle arrive.", "2026-11-28T10:00:02Z")));
            awaitIndexed(server, dialect);
            assertThat(search(api, "refund")).isEmpty();
            assertThat(search(api, "commande")).containsExactly(FRENCH);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aCommonWordIsPagedInListOrderAndARareOneAmongManyIsFound(Dialect dialect) throws InterruptedException {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            int count = TraceSearch.SPARSE_MATCHES + 100;
            for (int from = 0; from < count; from += 1_000) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int n = from; n < Math.min(count, from + 1_000); n++) {
                    batch.add(traceIn(trace(n + 1), "customer " + n + " asks about an order", "answered",
                            java.time.Instant.parse("2026-11-28T10:00:00Z").plusSeconds(n).toString()));
                }
                ingest(api, batch);
            }
            awaitIndexed(server, dialect);

            Http.Response page = api.get("/api/traces?q=order&limit=3");
            assertThat(page.json().path("data").findValuesAsText("id"))
                    .as("newest first among more matches than the sparse limit")
                    .containsExactly(trace(count), trace(count - 1), trace(count - 2));
            String next = page.json().path("nextCursor").asText();
            assertThat(api.get("/api/traces?q=order&limit=3&cursor=" + next).json().path("data")
                    .findValuesAsText("id")).containsExactly(trace(count - 3), trace(count - 4), trace(count - 5));
            assertThat(api.get("/api/traces?q=ord*&limit=2").json().path("data").findValuesAsText("id"))
                    .as("a prefix among many matches").containsExactly(trace(count), trace(count - 1));
            assertThat(search(api, "customer 4321")).containsExactly(trace(4322));
            assertThat(search(api, "custom* 4321")).containsExactly(trace(4322));
        }
    }
}
