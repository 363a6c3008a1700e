package dev.sextant.server.prompts;

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
 * Demo prompts, saved through the public API like any client would: {@code support/answer} in three
 * versions of rising quality (v2 on production, v3 on staging) and {@code support/classify}.
 */
public final class PromptDemoSeeder implements DemoSeeder {
    private static final Map<String, Object> SIM = Map.of("provider", "sim", "name", "sim-1", "temperature", 0.2,
            "maxTokens", 400);

    @Override
    public void seed(DemoContext demo) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (Map<String, Object> version : versions()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/api/prompts"))
                    .header("Authorization", "Bearer " + demo.apiKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(version))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("seeding prompt " + version.get("name") + " failed: " + response.body());
            }
        }
    }

    private static List<Map<String, Object>> versions() {
        return List.of(
                Map.of("name", "support/answer", "commitMessage", "First try",
                        "messages", List.of(message("user", "Answer this: {{question}}")),
                        "model", SIM),
                Map.of("name", "support/answer", "commitMessage", "Add a system prompt, product name and chat history",
                        "messages", List.of(
                                message("system", "You are the support assistant of {{product}}. Answer politely and "
                                        + "briefly. If you do not know the answer, say so."),
                                Map.of("role", "placeholder", "name", "history"),
                                message("user", "{{question}}")),
                        "model", SIM, "labels", List.of("production")),
                Map.of("name", "support/answer", "commitMessage", "Ground answers in the help center and ask for the "
                                + "order number",
                        "messages", List.of(
                                message("system", """
                                        You are the support assistant of {{product}}.
                                        - Answer only from the help center articles below; cite the article title.
                                        - For anything about an order, ask for the order number first.
                                        - Never promise refunds; offer to hand over to a human instead.
                                        - Keep answers under 120 words.

                                        Help center articles:
                                        {{#articles}}
                                        ## {{title}}
                                        {{body}}
                                        {{/articles}}"""),
                                Map.of("role", "placeholder", "name", "history"),
                                message("user", "{{question}}")),
                        "model", Map.of("provider", "sim", "name", "sim-1", "temperature", 0.1, "maxTokens", 300),
                        "tools", List.of(Map.of("name", "lookup_order", "description", "Find an order by its number",
                                "parameters", Map.of("type", "object", "properties",
                                        Map.of("orderNumber", Map.of("type", "string")), "required",
                                        List.of("orderNumber")))),
                        "labels", List.of("staging")),
                Map.of("name", "support/classify", "commitMessage", "Classify tickets into four queues",
                        "messages", List.of(
                                message("system", "Classify the customer message into exactly one category: billing, "
                                        + "shipping, account or other. Reply with JSON."),
                                message("user", "{{ticket}}")),
                        "model", Map.of("provider", "sim", "name", "sim-1", "temperature", 0.0, "responseFormat",
                                Map.of("type", "json_schema", "jsonSchema", Map.of("name", "classification",
                                        "schema", Map.of("type", "object", "properties", Map.of("category",
                                                Map.of("type", "string", "enum",
                                                        List.of("billing", "shipping", "account", "other"))),
                                                "required", List.of("category"))))),
                        "labels", List.of("production")));
    }

    private static Map<String, Object> message(String role, String content) {
        return Map.of("role", role, "content", content);
    }
}
