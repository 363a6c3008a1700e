package dev.sextant.server.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoSeeder;
import dev.sextant.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A review queue over demo support traces: the support lead's rubric linked to the
 * "answers-the-question" LLM judge, a dozen traces, eight of them reviewed, and the judge run on the
 * same traces through the sim, so the judge's page shows its agreement with the lead. Runs after
 * the traces and evaluators seeders; everything goes through the public API.
 */
public final class ReviewDemoSeeder implements DemoSeeder {
    static final String QUEUE = "support-quality";
    static final String RUBRIC = "support-lead-review";
    static final String JUDGE = "answers-the-question";
    private static final int ITEMS = 12;
    private static final int REVIEWED = 8;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public void seed(DemoContext context) throws Exception {
        JsonNode traces = call(context, "GET", "/api/traces?name=support-turn&status=ok&limit=" + ITEMS, null)
                .path("data");
        List<String> ids = new ArrayList<>();
        traces.forEach(t -> ids.add(t.path("id").asText()));
        if (ids.isEmpty()) {
            return;
        }
        call(context, "POST", "/api/review/queues", Map.of("name", QUEUE,
                "instructions", "Read the customer's question and the bot's answer. Check the answer against the "
                        + "store policy: returns within 30 days with a label, refunds in 3-5 business days, duplicate "
                        + "charges are pending authorisations that vanish within 7 days.",
                "evaluators", List.of(Map.of("name", RUBRIC, "calibrates", JUDGE)), "reviewersPerItem", 1,
                "lockSeconds", 600));
        call(context, "POST", "/api/review/queues/" + QUEUE + "/items", Map.of("targetType", "trace", "ids", ids));

        for (int i = 0; i < REVIEWED; i++) {
            JsonNode next = call(context, "POST", "/api/review/queues/" + QUEUE + "/next", Map.of());
            if (next == null) {
                break;
            }
            String output = next.path("output").asText("");
            // The lead knows the policy: a duplicate charge disappears within 7 days, not 48 hours.
            boolean correct = !output.contains("48 hours");
            call(context, "POST", "/api/review/queues/" + QUEUE + "/items/" + next.path("item").path("id").asText()
                    + "/review", Map.of("answers", Map.of(RUBRIC, Map.of("correct", correct,
                    "helpfulness", correct ? 4 : 2, "tone", "warm")),
                    "notes", correct ? "Matches the policy." : "Wrong: pending authorisations vanish within 7 days."));
        }

        JsonNode judge = call(context, "GET", "/api/evaluators/" + JUDGE, null);
        for (JsonNode t : traces) {
            JsonNode judgment = call(context, "POST", "/api/evaluators/try", Map.of("evaluator", Map.of(
                    "name", JUDGE, "kind", "llm", "config", judge.path("config")), "example", Map.of(
                    "input", Map.of("question", t.path("input").asText("")), "output", t.path("output").asText(""))));
            if (judgment.path("error").asBoolean()) {
                continue;
            }
            Map<String, Object> score = new java.util.LinkedHashMap<>();
            score.put("targetType", "trace");
            score.put("targetId", t.path("id").asText());
            score.put("name", JUDGE);
            score.put("value", judgment.path("value"));
            score.put("reason", judgment.path("reason").asText(null));
            score.put("source", "llm");
            if (judgment.hasNonNull("cost")) {
                score.put("cost", judgment.path("cost").asDouble());
            }
            call(context, "POST", "/api/scores", score);
        }
    }

    /** Calls the API; null for 204 (nothing left to review). */
    private JsonNode call(DemoContext context, String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(context.baseUrl() + path))
                .header("Authorization", "Bearer " + context.apiKey());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 204) {
            return null;
        }
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("demo review " + method + " " + path + ": " + response.statusCode() + " "
                    + response.body());
        }
        return Json.mapper().readTree(response.body());
    }
}
