package dev.sextant.server.traces;

import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoSeeder;
import dev.sextant.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Demo traces of a support bot, sent through the public ingestion API: sessions of several
 * turns, each with retrieval, an LLM call that asks for a tool, the tool, and the final answer;
 * a few turns fail (a tool timeout, a rate-limited model).
 */
public final class TraceDemoSeeder implements DemoSeeder {
    private static final String SYSTEM = "You are the support assistant of Acme Store. Answer briefly and use the "
            + "order tools when the customer mentions an order.";
    private static final List<String[]> QUESTIONS = List.of(
            new String[] {"Where is my order %d?", "lookup_order", "Your order %d shipped yesterday and should arrive on Friday."},
            new String[] {"Can I return the shoes from order %d?", "return_policy", "Yes: order %d is within the 30-day return window. I have emailed you a return label."},
            new String[] {"Please cancel order %d.", "cancel_order", "Order %d is cancelled; the refund takes 3 to 5 business days."},
            new String[] {"Why was I charged twice for order %d?", "lookup_payments", "The second charge on order %d is a pending authorisation and will disappear within 48 hours."});
    private static final String[] USERS = {"alice@example.com", "bob@example.com", "chen@example.com", "dana@example.com",
            "eli@example.com"};

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public void seed(DemoContext context) throws Exception {
        Random random = new Random(42);
        Instant now = Instant.now();
        List<Map<String, Object>> traces = new ArrayList<>();
        List<Map<String, Object>> spans = new ArrayList<>();
        int traceNumber = 0;
        for (int session = 0; session < 16; session++) {
            String sessionId = "chat-" + (1000 + session);
            String user = USERS[session % USERS.length];
            Instant at = now.minus(Duration.ofMinutes(30L + random.nextInt(72 * 60)));
            int turns = 2 + random.nextInt(3);
            for (int turn = 0; turn < turns; turn++) {
                traceNumber++;
                int order = 4000 + random.nextInt(900);
                String[] q = QUESTIONS.get(random.nextInt(QUESTIONS.size()));
                boolean toolFails = traceNumber % 9 == 0;
                boolean rateLimited = traceNumber % 13 == 0;
                turn(traces, spans, traceNumber, sessionId, user, at, String.format(q[0], order), q[1],
                        String.format(q[2], order), order, toolFails, rateLimited, random);
                at = at.plusSeconds(40 + random.nextInt(200));
            }
            if (spans.size() > 300) {
                post(context, traces, spans);
            }
        }
        post(context, traces, spans);
    }

    private static void turn(List<Map<String, Object>> traces, List<Map<String, Object>> spans, int n, String sessionId,
                             String user, Instant start, String question, String tool, String answer, int order,
                             boolean toolFails, boolean rateLimited, Random random) {
        String traceId = String.format("5e%030x", n);
        String root = String.format("a0%014x", n);
        List<String> tags = new ArrayList<>(List.of("support-bot"));
        if (n % 4 == 0) {
            tags.add("beta");
        }
        traces.add(map("id", traceId, "name", "support-turn", "sessionId", sessionId, "userId", user, "tags", tags,
                "metadata", Map.of("channel", n % 3 == 0 ? "email" : "web", "locale", "en-US")));
        long t = 0;
        long retrieval = 40 + random.nextInt(80);
        spans.add(map("id", String.format("a1%014x", n), "traceId", traceId, "parentId", root, "kind", "retrieval",
                "name", "search-help-center", "input", question,
                "output", List.of(Map.of("title", "Shipping times", "score", 0.82),
                        Map.of("title", "Returns and refunds", "score", 0.74)),
                "startTime", start.plusMillis(t), "endTime", start.plusMillis(t + retrieval)));
        t += retrieval + 5;
        long first = 400 + random.nextInt(900);
        List<Object> input = List.of(message("system", SYSTEM), message("user", question));
        Map<String, Object> toolCall = map("type", "tool_call", "id", "call_" + n, "name", tool,
                "arguments", Map.of("orderId", order));
        spans.add(map("id", String.format("a2%014x", n), "traceId", traceId, "parentId", root, "kind", "llm",
                "name", "chat sim-1", "model", "sim-1", "provider", "sim",
                "params", Map.of("temperature", 0.2, "max_tokens", 512),
                "input", input, "output", List.of(map("role", "assistant", "parts", List.of(toolCall),
                        "finish_reason", "tool_call")),
                "usage", Map.of("input", 350 + random.nextInt(200), "output", 20 + random.nextInt(15)),
                "promptName", "support-answer", "promptVersion", 3,
                "startTime", start.plusMillis(t), "endTime", start.plusMillis(t + first)));
        t += first + 5;
        long toolTime = toolFails ? 5000 : 60 + random.nextInt(200);
        Map<String, Object> toolResult = Map.of("orderId", order, "status", "shipped", "carrier", "UPS");
        spans.add(map("id", String.format("a3%014x", n), "traceId", traceId, "parentId", root, "kind", "tool",
                "name", tool, "input", Map.of("orderId", order), "output", toolFails ? null : toolResult,
                "status", toolFails ? "error" : "ok", "error", toolFails ? "TimeoutException: orders service did not "
                        + "answer within 5 s" : null,
                "startTime", start.plusMillis(t), "endTime", start.plusMillis(t + toolTime)));
        t += toolTime + 5;
        long second = 500 + random.nextInt(1500);
        String finalAnswer = toolFails ? "Sorry, I cannot reach the order system right now. Please try again in a few minutes."
                : answer;
        List<Object> secondInput = List.of(message("system", SYSTEM), message("user", question),
                map("role", "assistant", "parts", List.of(toolCall)),
                map("role", "tool", "parts", List.of(map("type", "tool_call_response", "id", "call_" + n,
                        "response", toolFails ? Map.of("error", "timeout") : toolResult))));
        spans.add(map("id", String.format("a4%014x", n), "traceId", traceId, "parentId", root, "kind", "llm",
                "name", "chat sim-1", "model", "sim-1", "provider", "sim",
                "params", Map.of("temperature", 0.2, "max_tokens", 512), "input", secondInput,
                "output", rateLimited ? null : List.of(map("role", "assistant", "parts",
                        List.of(Map.of("type", "text", "content", finalAnswer)), "finish_reason", "stop")),
                "usage", rateLimited ? null : Map.of("input", 600 + random.nextInt(300), "output", 30 + random.nextInt(40),
                        "cached", 300),
                "status", rateLimited ? "error" : "ok",
                "error", rateLimited ? "RateLimitError: 429 Too Many Requests from sim" : null,
                "promptName", "support-answer", "promptVersion", 3,
                "startTime", start.plusMillis(t), "endTime", start.plusMillis(t + second)));
        t += second + 5;
        spans.add(map("id", root, "traceId", traceId, "kind", "chain", "name", "support-turn", "input", question,
                "output", rateLimited ? null : finalAnswer, "startTime", start, "endTime", start.plusMillis(t)));
    }

    private static Map<String, Object> message(String role, String text) {
        return map("role", role, "parts", List.of(Map.of("type", "text", "content", text)));
    }

    /** A map that drops null values (Map.of refuses them). */
    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1] instanceof Instant instant ? instant.toString() : pairs[i + 1]);
            }
        }
        return map;
    }

    private void post(DemoContext context, List<Map<String, Object>> traces, List<Map<String, Object>> spans)
            throws Exception {
        if (spans.isEmpty() && traces.isEmpty()) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(context.baseUrl() + "/api/ingest"))
                .header("Authorization", "Bearer " + context.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("traces", traces, "spans", spans))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("demo trace ingestion failed: " + response.statusCode() + " " + response.body());
        }
        traces.clear();
        spans.clear();
    }
}
