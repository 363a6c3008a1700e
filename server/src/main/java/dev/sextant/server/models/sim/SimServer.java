package dev.sextant.server.models.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.models.sim.SimEngine.FaultOutcome;
import dev.sextant.server.models.sim.SimEngine.Outcome;
import dev.sextant.server.models.sim.SimEngine.Reply;
import dev.sextant.server.models.sim.SimEngine.ToolCall;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sim provider: an OpenAI-compatible {@code /v1/chat/completions} server (streaming and not, tool
 * calls, usage) that answers from a {@link SimScript}. It runs as its own small Javalin instance, so
 * the main server exposes no unauthenticated model endpoint; {@code sextant sim} runs the same class.
 */
public final class SimServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEFAULT_HANG_MS = 120_000;
    private static final Pattern PIECE = Pattern.compile("\\s*\\S+|\\s+$");

    private final SimEngine engine;
    private final String apiKey;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Javalin app;

    private SimServer(SimScript script) {
        this.engine = new SimEngine(script);
        this.apiKey = script.apiKey();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.concurrency.useVirtualThreads = true;
            config.routes.post("/v1/chat/completions", this::completions);
            config.routes.get("/v1/models", ctx -> ctx.json(JSON.createObjectNode().put("object", "list")
                    .set("data", JSON.createArrayNode().add(JSON.createObjectNode().put("id", "sim-1")
                            .put("object", "model").put("owned_by", "sextant")))));
            config.routes.get("/health", ctx -> ctx.result("ok"));
        });
    }

    /** Starts a sim on {@code host:port} (port 0 picks a free one). */
    public static SimServer start(SimScript script, String host, int port) {
        SimServer server = new SimServer(script);
        server.app.start(host, port);
        return server;
    }

    /** A sim on a random loopback port, as used in-process by the gateway and by tests. */
    public static SimServer startLocal(SimScript script) {
        return start(script, "127.0.0.1", 0);
    }

    public int port() {
        return app.port();
    }

    /** The OpenAI base URL to give a client, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Counters since start: requests received and the most requests ever in flight at once. */
    public record Stats(int requests, int inFlight, int maxInFlight) {
    }

    public Stats stats() {
        return new Stats(requests.get(), inFlight.get(), maxInFlight.get());
    }

    private void completions(Context ctx) throws IOException {
        requests.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (apiKey != null && !("Bearer " + apiKey).equals(ctx.header("Authorization"))) {
                error(ctx, 401, "invalid_api_key", "Incorrect API key provided (simulated)");
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(ctx.bodyAsBytes());
            } catch (JsonProcessingException e) {
                error(ctx, 400, "invalid_request_error", "request body is not valid JSON");
                return;
            }
            if (request == null || !request.path("messages").isArray() || request.path("messages").isEmpty()) {
                error(ctx, 400, "invalid_request_error", "'messages' must be a non-empty array");
                return;
            }
            Outcome outcome = engine.answer(request);
            boolean stream = request.path("stream").asBoolean(false);
            switch (outcome) {
                case FaultOutcome f -> fault(ctx, f.fault(), stream);
                case Reply r -> {
                    if (!pause(r.latencyMs())) {
                        return;
                    }
                    String model = request.path("model").asText("sim-1");
                    if (stream) {
                        stream(ctx, r, model, request.path("stream_options").path("include_usage").asBoolean(true));
                    } else {
                        ctx.contentType("application/json").result(completion(r, model).toString());
                    }
                }
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void fault(Context ctx, SimScript.Fault fault, boolean stream) throws IOException {
        switch (fault.type()) {
            case "rate_limit" -> {
                ctx.header("Retry-After", Integer.toString(fault.retryAfterSeconds() == null ? 1
                        : fault.retryAfterSeconds()));
                error(ctx, 429, "rate_limit_error", "Rate limit reached (simulated)");
            }
            case "server_error" -> error(ctx, 500, "server_error", "The server had an error (simulated)");
            case "hang" -> {
                pause(fault.hangMs() == null ? DEFAULT_HANG_MS : fault.hangMs());
                error(ctx, 504, "timeout", "The sim hung on purpose and gave up");
            }
            default -> {
                if (stream) {
                    ctx.contentType("text/event-stream");
                    ctx.result("data: {\"id\": \"chatcmpl-broken\", \"choices\": [\n\n");
                } else {
                    ctx.contentType("application/json").result("{\"id\": \"chatcmpl-broken\", \"choices\": [{\"mess");
                }
            }
        }
    }

    private static void error(Context ctx, int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param").put("code", type);
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    /** Waits, returning false if the server is closing. */
    private boolean pause(long millis) {
        if (millis <= 0) {
            return true;
        }
        try {
            return !closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ObjectNode completion(Reply reply, String model) {
        ObjectNode body = envelope(model, "chat.completion");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (reply.content() != null) {
            message.put("content", reply.content());
        } else {
            message.putNull("content");
        }
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : reply.toolCalls()) {
                toolCall(calls.addObject(), call);
            }
        }
        choice.put("finish_reason", reply.finishReason());
        body.set("usage", usage(reply));
        return body;
    }

    private void stream(Context ctx, Reply reply, String model, boolean includeUsage) throws IOException {
        ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        List<ObjectNode> chunks = new ArrayList<>();
        ObjectNode first = chunk(model);
        choice(first).withObject("delta").put("role", "assistant").put("content", "");
        chunks.add(first);
        if (reply.content() != null) {
            for (String piece : pieces(reply.content())) {
                ObjectNode c = chunk(model);
                choice(c).withObject("delta").put("content", piece);
                chunks.add(c);
            }
        }
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            ObjectNode c = chunk(model);
            ObjectNode call = choice(c).withObject("delta").putArray("tool_calls").addObject();
            call.put("index", i);
            toolCall(call, reply.toolCalls().get(i));
            chunks.add(c);
        }
        ObjectNode last = chunk(model);
        choice(last).put("finish_reason", reply.finishReason());
        chunks.add(last);
        for (int i = 0; i < chunks.size(); i++) {
            if (i > 1 && !pause(engine.chunkDelayMs())) {
                return;
            }
            send(out, chunks.get(i).toString());
        }
        if (includeUsage) {
            ObjectNode usage = envelope(model, "chat.completion.chunk");
            usage.putArray("choices");
            usage.set("usage", usage(reply));
            send(out, usage.toString());
        }
        send(out, "[DONE]");
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Splits text into word-sized pieces (each keeps its leading space), like token deltas. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out.isEmpty() ? List.of(text) : out;
    }

    private static ObjectNode choice(ObjectNode chunk) {
        return (ObjectNode) chunk.get("choices").get(0);
    }

    private static ObjectNode chunk(String model) {
        ObjectNode c = envelope(model, "chat.completion.chunk");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("finish_reason");
        return c;
    }

    private static ObjectNode envelope(String model, String object) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-sim").put("object", object).put("created", System.currentTimeMillis() / 1000)
                .put("model", model).put("system_fingerprint", "sim");
        return body;
    }

    private static void toolCall(ObjectNode node, ToolCall call) {
        node.put("id", call.id()).put("type", "function");
        node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
    }

    private static ObjectNode usage(Reply reply) {
        return JSON.createObjectNode().put("prompt_tokens", reply.promptTokens())
                .put("completion_tokens", reply.completionTokens())
                .put("total_tokens", reply.promptTokens() + reply.completionTokens());
    }

    @Override
    public void close() {
        closing.countDown();
        app.stop();
    }
}
