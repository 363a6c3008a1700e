package dev.sextant.server.models.sim;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A sim script: ordered rules that turn chat requests into replies, latency and faults. The YAML
 * format is documented in {@code docs/sim.md}; {@link #load} validates it (regexes, fault types,
 * latency distributions) so a broken script fails at start, not at the first request.
 */
public record SimScript(Long seed, Latency latency, Integer chunkDelayMs, String apiKey, List<Fault> faults,
                        List<Rule> rules, @JsonProperty("default") Fallback fallback) {

    public static final String BUILT_IN = "/sim/support-bot.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public SimScript {
        seed = seed == null ? 42L : seed;
        latency = latency == null ? Latency.NONE : latency;
        chunkDelayMs = chunkDelayMs == null ? 0 : chunkDelayMs;
        faults = faults == null ? List.of() : List.copyOf(faults);
        rules = rules == null ? List.of() : List.copyOf(rules);
        fallback = fallback == null ? new Fallback(null) : fallback;
        if (chunkDelayMs < 0) {
            throw new IllegalArgumentException("chunkDelayMs must not be negative");
        }
    }

    /** An empty script: every request gets the deterministic default reply, instantly. */
    public static SimScript empty() {
        return new SimScript(null, null, null, null, null, null, null);
    }

    public static SimScript builtIn() {
        try (InputStream in = SimScript.class.getResourceAsStream(BUILT_IN)) {
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SimScript load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read sim script " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses and validates a YAML script; errors are {@link IllegalArgumentException}s that say what is wrong. */
    public static SimScript parse(String yaml) {
        SimScript script;
        try {
            script = YAML.readValue(yaml, SimScript.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid sim script: " + e.getOriginalMessage(), e);
        }
        if (script == null) {
            return empty();
        }
        script.latency.validate("latency");
        script.faults.forEach(f -> f.validate("faults"));
        for (int i = 0; i < script.rules.size(); i++) {
            script.rules.get(i).validate("rules[" + i + "]");
        }
        return script;
    }

    /** Reply latency in milliseconds: {@code fixed} (ms), {@code uniform} (minMs..maxMs) or {@code normal}. */
    public record Latency(String distribution, Long ms, Long minMs, Long maxMs, Double meanMs, Double stddevMs) {
        static final Latency NONE = new Latency("fixed", 0L, null, null, null, null);

        void validate(String where) {
            String kind = distribution == null ? "fixed" : distribution.toLowerCase(Locale.ROOT);
            boolean ok = switch (kind) {
                case "fixed" -> ms == null || ms >= 0;
                case "uniform" -> minMs != null && maxMs != null && 0 <= minMs && minMs <= maxMs;
                case "normal" -> meanMs != null && stddevMs != null && meanMs >= 0 && stddevMs >= 0;
                default -> false;
            };
            if (!ok) {
                throw new IllegalArgumentException(where + ": use {distribution: fixed, ms: N}, "
                        + "{distribution: uniform, minMs: A, maxMs: B} or {distribution: normal, meanMs: M, stddevMs: S}");
            }
        }

        long sample(java.util.Random random) {
            String kind = distribution == null ? "fixed" : distribution.toLowerCase(Locale.ROOT);
            return switch (kind) {
                case "uniform" -> minMs + (maxMs.equals(minMs) ? 0 : random.nextLong(maxMs - minMs + 1));
                case "normal" -> Math.max(0, Math.round(meanMs + stddevMs * random.nextGaussian()));
                default -> ms == null ? 0 : ms;
            };
        }
    }

    /**
     * An injected fault: {@code rate_limit} (429 + Retry-After), {@code server_error} (500), {@code hang}
     * (no answer for hangMs) or {@code malformed} (200 with a body that is not valid JSON). It fires on the
     * listed 1-based {@code calls} and/or with {@code probability}.
     */
    public record Fault(String type, Double probability, List<Integer> calls, Integer retryAfterSeconds,
                        Long hangMs) {
        public Fault {
            calls = calls == null ? List.of() : List.copyOf(calls);
        }

        void validate(String where) {
            if (type == null || !List.of("rate_limit", "server_error", "hang", "malformed").contains(type)) {
                throw new IllegalArgumentException(where + ": fault type must be rate_limit, server_error, hang or "
                        + "malformed, got " + type);
            }
            if (probability == null && calls.isEmpty()) {
                throw new IllegalArgumentException(where + ": a " + type + " fault needs probability or calls");
            }
            if (probability != null && (probability < 0 || probability > 1)) {
                throw new IllegalArgumentException(where + ": probability must be between 0 and 1");
            }
        }
    }

    /** Conditions on the request; every condition given must hold. Regexes use Java syntax (find, not full match). */
    public record Match(String lastUser, String system, String any, String lastRole, String tool, String model) {
    }

    /** A tool call to answer with; string values in {@code arguments} may use {@code {{1}}} captures. */
    public record ToolCallSpec(String name, JsonNode arguments) {
    }

    /** One rule: the first whose {@link Match} holds answers with text, tool calls or JSON. */
    public record Rule(String name, Match match, String reply, List<ToolCallSpec> toolCalls, JsonNode json,
                       Latency latency, List<Fault> faults) {
        public Rule {
            match = match == null ? new Match(null, null, null, null, null, null) : match;
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
            faults = faults == null ? List.of() : List.copyOf(faults);
        }

        void validate(String where) {
            int kinds = (reply != null ? 1 : 0) + (toolCalls.isEmpty() ? 0 : 1) + (json != null ? 1 : 0);
            if (kinds > 1) {
                throw new IllegalArgumentException(where + ": give one of reply, toolCalls or json");
            }
            for (String regex : new String[] {match.lastUser(), match.system(), match.any(), match.model()}) {
                if (regex != null) {
                    try {
                        Pattern.compile(regex);
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException(where + ": bad regex " + regex + ": " + e.getDescription());
                    }
                }
            }
            toolCalls.forEach(call -> {
                if (call.name() == null || call.name().isBlank()) {
                    throw new IllegalArgumentException(where + ": every tool call needs a name");
                }
            });
            if (latency != null) {
                latency.validate(where + ".latency");
            }
            faults.forEach(f -> f.validate(where + ".faults"));
        }
    }

    /** The default reply when no rule matches: one of {@code replies}, chosen by a hash of the request. */
    public record Fallback(List<String> replies) {
        public Fallback {
            replies = replies == null || replies.isEmpty() ? List.of(
                    "Thanks for your message. Here is a short, helpful answer based on what you wrote.",
                    "I understand. The quickest way forward is to check the settings page and try again.",
                    "Good question. In short: yes, that works, with a few caveats described in the docs.",
                    "Sorry for the trouble. I have noted your request and a teammate will follow up shortly.")
                    : List.copyOf(replies);
        }
    }
}
