package dev.sextant.server.evaluators;

import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoSeeder;
import dev.sextant.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * The demo's scorecard for the support bot: small criteria of all three kinds, created through the
 * public API like a user would.
 */
public final class EvaluatorDemoSeeder implements DemoSeeder {

    static List<Map<String, Object>> scorecard() {
        return List.of(
                code("mentions-return-window", "Return answers state the 14-day window and the refund",
                        "contains-all", Map.of("values", List.of("14 days", "refund"), "caseSensitive", false)),
                code("concise", "Answers fit in a chat bubble", "length",
                        Map.of("min", 20, "max", 600, "unit", "chars")),
                code("no-canned-apology", "Does not open with a canned apology", "not-contains-any",
                        Map.of("values", List.of("I apologize for any inconvenience", "As an AI"),
                                "caseSensitive", false)),
                code("close-to-reference", "Word overlap with the approved answer (ROUGE-L)", "rouge-l",
                        Map.of("threshold", 0.4)),
                code("means-the-same", "Says the same as the approved answer (embedded MiniLM similarity)",
                        "semantic-similarity", Map.of("threshold", 0.75)),
                code("fast-enough", "Answers within 3 seconds", "max-latency", Map.of("max", 3000)),
                code("order-lookup-called", "Order questions call lookup_order with an order id", "tool-call",
                        Map.of("tool", "lookup_order", "argumentsSchema", Map.of("type", "object",
                                "required", List.of("orderId"),
                                "properties", Map.of("orderId", Map.of("type", "string", "pattern", "^[A-Z]{2}-\\d{4}$"))))),
                Map.of("name", "cheap-and-short", "kind", "code",
                        "description", "CEL: short answers that cost under a cent",
                        "config", Map.of("cel", "output.size() < 800 && cost < 0.01")),
                llm("grounded", "Every claim is supported by the retrieved policy", "grounded-in-context"),
                llm("answers-the-question", "Answers what the customer asked", "answers-question"),
                llm("no-personal-data", "Never reveals personal data", "no-pii"),
                llm("friendly-tone", "Tone fits a customer", "tone-fits-audience"),
                Map.of("name", "support-lead-review", "kind", "human",
                        "description", "Weekly review by the support lead",
                        "config", Map.of("rubric", Map.of(
                                "instructions", "Judge as you would judge a new support agent's reply.",
                                "questions", List.of(
                                        Map.of("id", "correct", "text", "Is the answer correct and complete?",
                                                "type", "boolean",
                                                "instructions", "Check it against the policy in the context."),
                                        Map.of("id", "helpfulness", "text", "How helpful is it?", "type", "number",
                                                "min", 1, "max", 5),
                                        Map.of("id", "tone", "text", "How is the tone?", "type", "category",
                                                "categories", List.of("warm", "neutral", "cold")))))));
    }

    private static Map<String, Object> code(String name, String description, String builtin, Map<String, Object> params) {
        return Map.of("name", name, "kind", "code", "description", description,
                "config", Map.of("builtin", builtin, "params", params));
    }

    private static Map<String, Object> llm(String name, String description, String preset) {
        return Map.of("name", name, "kind", "llm", "description", description, "config", Map.of("preset", preset));
    }

    @Override
    public void seed(DemoContext context) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (Map<String, Object> evaluator : scorecard()) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(context.baseUrl() + "/api/evaluators"))
                        .header("Authorization", "Bearer " + context.apiKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(evaluator)))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 300) {
                    throw new IllegalStateException("demo evaluator " + evaluator.get("name") + ": "
                            + response.statusCode() + " " + response.body());
                }
            }
        }
    }
}
