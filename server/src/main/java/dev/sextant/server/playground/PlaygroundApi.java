package dev.sextant.server.playground;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import dev.sextant.server.models.ChatRequest;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Playground runs (plain and streamed), replay with diff, and agent step replay. */
public final class PlaygroundApi {
    private final PlaygroundService playground;
    private final AgentReplayService agentReplay;

    public PlaygroundApi(PlaygroundService playground, AgentReplayService agentReplay) {
        this.playground = playground;
        this.agentReplay = agentReplay;
    }

    public void register(Routes routes) {
        routes.api("POST /api/playground/run", Access.EDIT, "Run messages with variables on a model; with "
                + "recordedOutput (replay of a logged call) the response includes a word diff against it", this::run);
        routes.api("POST /api/playground/run/stream", Access.EDIT, "Like /api/playground/run, streamed as "
                + "server-sent events: 'token' events with text deltas, then one 'result' or 'error' event",
                this::stream);
        routes.api("POST /api/playground/agent-replay", Access.EDIT, "Replay a step of a recorded agent run; "
                + "optionally continue the loop answering tool calls from the recorded tool results", ctx -> ctx.json(
                agentReplay.replay(project(ctx), Requests.json(ctx, AgentReplayService.Request.class))));
    }

    private void run(Context ctx) {
        ctx.json(playground.run(project(ctx), Requests.json(ctx, RunRequest.class)));
    }

    /** Errors before the first byte are ordinary JSON errors; after that they arrive as an 'error' event. */
    private void stream(Context ctx) throws IOException {
        RunRequest run = Requests.json(ctx, RunRequest.class);
        ChatRequest prepared = playground.prepare(run);
        String project = project(ctx);
        ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        try {
            RunResponse response = playground.stream(project, run, prepared,
                    token -> send(out, "token", Map.of("text", token)));
            send(out, "result", response);
        } catch (ApiException e) {
            send(out, "error", Map.of("code", e.code(), "message", e.getMessage()));
        } catch (UncheckedIOException e) {
            // the browser went away; nothing left to tell it
        }
    }

    private static void send(OutputStream out, String event, Object data) {
        try {
            out.write(("event: " + event + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String project(Context ctx) {
        return Authenticator.project(ctx).id();
    }
}
