package dev.sextant.sdk;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Prompt fetching with an in-memory cache. A fresh entry is returned from memory; a stale one is
 * returned at once while a background refresh runs (stale-while-revalidate); known entries are
 * also refreshed in the background. When the server is unreachable, the last known version is
 * served, then a default registered with {@link #fallback(Prompt)}.
 */
public final class Prompts implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Prompts.class.getName());
    public static final String DEFAULT_LABEL = "production";

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http;
    private final Duration ttl;
    private final Duration timeout;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, Prompt> fallbacks = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refreshing = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher;

    private record Entry(Prompt prompt, String etag, long fetchedAtNanos) {
    }

    Prompts(String baseUrl, String apiKey, Duration ttl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.ttl = ttl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sextant-prompt-refresh");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, ttl.toMillis());
        refresher.scheduleWithFixedDelay(this::refreshAll, period, period, TimeUnit.MILLISECONDS);
    }

    /** The version deployed to {@code production}. */
    public Prompt get(String name) {
        return get(name, DEFAULT_LABEL);
    }

    /** The version a label points to. */
    public Prompt get(String name, String label) {
        return resolve(name + "@" + label, name, "label=" + encode(label));
    }

    /** A fixed version (cached forever: versions are immutable). */
    public Prompt getVersion(String name, int version) {
        return resolve(name + "#" + version, name, "version=" + version);
    }

    /** Registers a default for {@code prompt.name()}, served when nothing else is available. */
    public Prompts fallback(Prompt prompt) {
        fallbacks.put(prompt.name(), prompt);
        return this;
    }

    private Prompt resolve(String key, String name, String query) {
        Entry entry = cache.get(key);
        if (entry != null) {
            if (System.nanoTime() - entry.fetchedAtNanos() > ttl.toNanos() && !key.contains("#")) {
                refreshInBackground(key, name, query);
            }
            return entry.prompt();
        }
        try {
            return fetch(key, name, query, null).prompt();
        } catch (RuntimeException e) {
            Prompt fallback = fallbacks.get(name);
            if (fallback != null) {
                LOG.log(Level.WARNING, "Sextant: serving bundled fallback for prompt " + name + ": " + e.getMessage());
                return fallback;
            }
            throw new SextantException("prompt " + name + " is unavailable (nothing cached, no fallback): "
                    + e.getMessage(), e);
        }
    }

    private void refreshInBackground(String key, String name, String query) {
        if (refreshing.putIfAbsent(key, Boolean.TRUE) == null) {
            refresher.execute(() -> {
                try {
                    Entry old = cache.get(key);
                    fetch(key, name, query, old == null ? null : old.etag());
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "Sextant: prompt refresh failed, keeping the cached version", e);
                } finally {
                    refreshing.remove(key);
                }
            });
        }
    }

    private void refreshAll() {
        List<String> keys = new ArrayList<>(cache.keySet());
        for (String key : keys) {
            if (key.contains("@")) {
                int at = key.lastIndexOf('@');
                refreshInBackground(key, key.substring(0, at), "label=" + encode(key.substring(at + 1)));
            }
        }
    }

    private Entry fetch(String key, String name, String query, String etag) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/prompts/" + encodePath(name)
                        + "?" + query))
                .timeout(timeout).header("Authorization", "Bearer " + apiKey).header("Accept", "application/json");
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SextantException("cannot reach Sextant at " + baseUrl + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SextantException("interrupted while fetching prompt " + name, e);
        }
        if (response.statusCode() == 304 && cache.containsKey(key)) {
            Entry touched = new Entry(cache.get(key).prompt(), etag, System.nanoTime());
            cache.put(key, touched);
            return touched;
        }
        if (response.statusCode() != 200) {
            throw new SextantException("prompt " + name + ": server answered " + response.statusCode() + " "
                    + response.body());
        }
        Entry entry = new Entry(PromptJson.parse(response.body()), response.headers().firstValue("ETag").orElse(null),
                System.nanoTime());
        cache.put(key, entry);
        return entry;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String encodePath(String name) {
        StringBuilder out = new StringBuilder();
        for (String segment : name.split("/", -1)) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(encode(segment).replace("+", "%20"));
        }
        return out.toString();
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
