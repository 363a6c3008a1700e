package dev.sextant.server.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.http.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Syncs a folder of {@code .prompt} files with a server over the REST API: {@code push} saves a
 * version per file (the server creates one only when the content changed), {@code pull} writes
 * one file per prompt at {@code <dir>/<name>.prompt}.
 */
public final class PromptSync {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String server;
    private final String apiKey;
    private final PrintWriter out;

    public PromptSync(String server, String apiKey, PrintWriter out) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.apiKey = apiKey;
        this.out = out;
    }

    /** What a sync did: files or prompts changed, left alone, and failed (with reasons already printed). */
    public record Outcome(int changed, int unchanged, int failed) {
    }

    public Outcome push(Path dir, String commitMessage) {
        int changed = 0;
        int unchanged = 0;
        int failed = 0;
        for (Path file : promptFiles(dir)) {
            String fromPath = nameFromPath(dir, file);
            try {
                PromptFile.Parsed parsed = PromptFile.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (parsed.name() != null && !parsed.name().equals(fromPath)) {
                    throw new IllegalArgumentException("front matter names '" + parsed.name()
                            + "' but the file's path says '" + fromPath + "'");
                }
                ObjectNode body = Json.mapper().valueToTree(parsed.content());
                body.put("name", fromPath);
                body.put("commitMessage", commitMessage);
                body.set("labels", Json.mapper().valueToTree(parsed.labels()));
                HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/prompts"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
                JsonNode json = Json.read(response.body(), JsonNode.class);
                if (response.statusCode() == 201) {
                    changed++;
                    out.println("pushed    " + fromPath + " → v" + json.path("version").asInt());
                } else if (response.statusCode() == 200) {
                    unchanged++;
                    out.println("unchanged " + fromPath + " (v" + json.path("version").asInt() + ")");
                } else {
                    throw new IllegalArgumentException(json.path("error").path("message").asText(response.body()));
                }
            } catch (IOException | RuntimeException e) {
                failed++;
                out.println("failed    " + dir.relativize(file) + ": " + e.getMessage());
            }
        }
        out.flush();
        return new Outcome(changed, unchanged, failed);
    }

    /** Writes the version each prompt's {@code label} points at (null: latest); prompts without it are skipped. */
    public Outcome pull(Path dir, String label) {
        int changed = 0;
        int unchanged = 0;
        int failed = 0;
        for (String name : allNames()) {
            try {
                String query = label == null ? "" : "?label=" + URLEncoder.encode(label, StandardCharsets.UTF_8);
                HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/prompts/" + name + query)).GET());
                if (response.statusCode() == 404 && label != null) {
                    out.println("skipped   " + name + " (no label " + label + ")");
                    continue;
                }
                PromptVersion version = Json.read(ok(response).body(), PromptVersion.class);
                Path file = dir.resolve(name + PromptFile.EXTENSION).normalize();
                if (!file.startsWith(dir.normalize())) {
                    throw new IllegalArgumentException("name escapes the folder");
                }
                String text = PromptFile.write(name, version.content(), List.of());
                if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                    unchanged++;
                    out.println("unchanged " + name + " (v" + version.version() + ")");
                    continue;
                }
                Files.createDirectories(file.getParent());
                Files.writeString(file, text, StandardCharsets.UTF_8);
                changed++;
                out.println("pulled    " + name + " v" + version.version() + " → " + dir.relativize(file));
            } catch (IOException | RuntimeException e) {
                failed++;
                out.println("failed    " + name + ": " + e.getMessage());
            }
        }
        out.flush();
        return new Outcome(changed, unchanged, failed);
    }

    private List<String> allNames() {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            String query = "?limit=500" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = Json.read(ok(send(HttpRequest.newBuilder(uri("/api/prompts" + query)).GET())).body(),
                    JsonNode.class);
            page.path("data").forEach(p -> names.add(p.path("name").asText()));
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return names;
    }

    private static List<Path> promptFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(PromptFile.EXTENSION))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    private static String nameFromPath(Path dir, Path file) {
        String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        return relative.substring(0, relative.length() - PromptFile.EXTENSION.length());
    }

    private URI uri(String path) {
        return URI.create(server + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + server + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            String message = response.body();
            try {
                message = Json.mapper().readTree(response.body()).path("error").path("message").asText(message);
            } catch (IOException | RuntimeException ignored) {
                // not JSON: keep the raw body
            }
            throw new IllegalStateException("server answered " + response.statusCode() + ": " + message);
        }
        return response;
    }
}
