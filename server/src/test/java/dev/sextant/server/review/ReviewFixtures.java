package dev.sextant.server.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.support.Http;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Traces, a rubric and a judge for review tests, created through the public API. */
final class ReviewFixtures {
    static final String RUBRIC = "lead-review";
    static final String JUDGE = "grounded";

    private ReviewFixtures() {
    }

    /** A 32-hex trace id from a number. */
    static String traceId(int n) {
        return "%032x".formatted(0xabc000 + n);
    }

    /** The 16-hex id of the LLM span in trace {@code n}. */
    static String llmSpanId(int n) {
        return HexFormat.of().toHexDigits((long) n * 2 + 2);
    }

    /** Ingests {@code count} traces named {@code name}, each a chain with one LLM call; returns their ids. */
    static List<String> traces(Http api, String name, int from, int count, Instant start) {
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> spans = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String trace = traceId(i);
            String root = HexFormat.of().toHexDigits((long) i * 2 + 1);
            String llm = llmSpanId(i);
            String question = "Question " + i + ": can I return shoes?";
            String answer = "Answer " + i + ": yes, within 14 days.";
            Instant t = start.plusMillis(i);
            spans.add(Map.of("id", root, "traceId", trace, "kind", "chain", "name", name, "input", question,
                    "output", answer, "startTime", t.toString(), "endTime", t.plusMillis(800).toString()));
            spans.add(Map.of("id", llm, "traceId", trace, "parentId", root, "kind", "llm", "name", "chat sim-1",
                    "model", "sim-1",
                    "input", List.of(Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", question)))),
                    "output", List.of(Map.of("role", "assistant", "parts", List.of(Map.of("type", "text", "content", answer)))),
                    "startTime", t.plusMillis(100).toString(), "endTime", t.plusMillis(700).toString()));
            ids.add(trace);
        }
        Http.Response r = api.post("/api/ingest", Map.of("spans", spans));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return ids;
    }

    static List<String> traces(Http api, int count) {
        return traces(api, "support-turn", 0, count, Instant.parse("2026-11-01T10:00:00Z"));
    }

    /** A human rubric: a yes/no first question, then a 1-5 score. */
    static void rubric(Http api) {
        Http.Response r = api.post("/api/evaluators", Map.of("name", RUBRIC, "kind", "human", "config",
                Map.of("rubric", Map.of("instructions", "Judge like a support lead.", "questions", List.of(
                        Map.of("id", "correct", "text", "Is the answer correct?", "type", "boolean"),
                        Map.of("id", "helpful", "text", "How helpful?", "type", "number", "min", 1, "max", 5))))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    static void judge(Http api) {
        Http.Response r = api.post("/api/evaluators", Map.of("name", JUDGE, "kind", "llm", "config",
                Map.of("preset", "grounded-in-context")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    static Http.Response queue(Http api, String name, int reviewersPerItem) {
        return api.post("/api/review/queues", Map.of("name", name, "instructions", "Check the return policy.",
                "evaluators", List.of(Map.of("name", RUBRIC, "calibrates", JUDGE)),
                "reviewersPerItem", reviewersPerItem));
    }

    static Map<String, Object> answers(boolean correct, int helpful) {
        return Map.of("answers", Map.of(RUBRIC, Map.of("correct", correct, "helpful", helpful)));
    }
}
