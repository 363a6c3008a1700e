package dev.sextant.server.models.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sextant.server.models.sim.SimScript.Fault;
import dev.sextant.server.models.sim.SimScript.Rule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what the sim answers to one OpenAI-style chat request: a fault or a reply, and how long
 * to wait. Deterministic for a given script and call order (seeded random, hashed default reply).
 */
final class SimEngine {
    private static final Pattern CAPTURE = Pattern.compile("\\{\\{\\s*(\\d+|last)\\s*}}");
    private static final Pattern TOKEN = Pattern.compile("\\w+|[^\\w\\s]");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SimScript script;
    private final Random random;
    private final AtomicInteger calls = new AtomicInteger();
    private final Map<Integer, AtomicInteger> ruleCalls = new ConcurrentHashMap<>();
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    SimEngine(SimScript script) {
        this.script = script;
        this.random = new Random(script.seed());
    }

    sealed interface Outcome permits FaultOutcome, Reply {
    }

    record FaultOutcome(Fault fault) implements Outcome {
    }

    record ToolCall(String id, String name, String arguments) {
    }

    /** A reply: text (or a JSON document as text) or tool calls, with usage and the latency to wait first. */
    record Reply(String content, List<ToolCall> toolCalls, long latencyMs, int promptTokens, int completionTokens)
            implements Outcome {
        String finishReason() {
            return toolCalls.isEmpty() ? "stop" : "tool_calls";
        }
    }

    int chunkDelayMs() {
        return script.chunkDelayMs();
    }

    Outcome answer(JsonNode request) {
        int call = calls.incrementAndGet();
        Optional<Fault> global = firing(script.faults(), call);
        if (global.isPresent()) {
            return new FaultOutcome(global.get());
        }
        List<Message> messages = messages(request);
        int promptTokens = promptTokens(request, messages);
        for (int i = 0; i < script.rules().size(); i++) {
            Rule rule = script.rules().get(i);
            Optional<List<String>> captures = match(rule.match(), messages, request);
            if (captures.isEmpty()) {
                continue;
            }
            int ruleCall = ruleCalls.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
            Optional<Fault> fault = firing(rule.faults(), ruleCall);
            if (fault.isPresent()) {
                return new FaultOutcome(fault.get());
            }
            long latency = sample(rule.latency() != null ? rule.latency() : script.latency());
            return reply(rule, captures.get(), last(messages), latency, promptTokens, call);
        }
        String content = fallback(request, messages);
        return new Reply(content, List.of(), sample(script.latency()), promptTokens, tokens(content));
    }

    private Reply reply(Rule rule, List<String> captures, String last, long latency, int promptTokens, int call) {
        if (!rule.toolCalls().isEmpty()) {
            List<ToolCall> toolCalls = new ArrayList<>();
            for (int i = 0; i < rule.toolCalls().size(); i++) {
                SimScript.ToolCallSpec spec = rule.toolCalls().get(i);
                JsonNode args = spec.arguments() == null ? NODES.objectNode() : fill(spec.arguments(), captures, last);
                toolCalls.add(new ToolCall("call_" + call + "_" + i, spec.name(), args.toString()));
            }
            int completion = toolCalls.stream().mapToInt(t -> tokens(t.name()) + tokens(t.arguments())).sum();
            return new Reply(null, toolCalls, latency, promptTokens, completion);
        }
        String content = rule.json() != null ? fill(rule.json(), captures, last).toString()
                : substitute(rule.reply() == null ? "" : rule.reply(), captures, last);
        return new Reply(content, List.of(), latency, promptTokens, tokens(content));
    }

    private Optional<Fault> firing(List<Fault> faults, int call) {
        for (Fault fault : faults) {
            if (fault.calls().contains(call)) {
                return Optional.of(fault);
            }
            if (fault.probability() != null && nextDouble() < fault.probability()) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    private synchronized double nextDouble() {
        return random.nextDouble();
    }

    private synchronized long sample(SimScript.Latency latency) {
        return latency.sample(random);
    }

    record Message(String role, String content) {
    }

    /** The messages' roles and text (string content or the text parts of a content array). */
    static List<Message> messages(JsonNode request) {
        List<Message> out = new ArrayList<>();
        for (JsonNode m : request.path("messages")) {
            JsonNode content = m.path("content");
            String text;
            if (content.isArray()) {
                StringBuilder sb = new StringBuilder();
                content.forEach(part -> sb.append(part.path("text").asText("")));
                text = sb.toString();
            } else {
                text = content.isNull() || content.isMissingNode() ? "" : content.asText();
            }
            out.add(new Message(m.path("role").asText(""), text));
        }
        return out;
    }

    private Optional<List<String>> match(SimScript.Match match, List<Message> messages, JsonNode request) {
        List<String> captures = null;
        if (match.lastUser() != null) {
            captures = find(match.lastUser(), lastUser(messages));
            if (captures == null) {
                return Optional.empty();
            }
        }
        if (match.system() != null) {
            String system = messages.stream().filter(m -> m.role().equals("system") || m.role().equals("developer"))
                    .map(Message::content).reduce("", (a, b) -> a + "\n" + b);
            List<String> found = find(match.system(), system);
            if (found == null) {
                return Optional.empty();
            }
            captures = captures == null ? found : captures;
        }
        if (match.any() != null) {
            List<String> found = null;
            for (Message m : messages) {
                found = find(match.any(), m.content());
                if (found != null) {
                    break;
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            captures = captures == null ? found : captures;
        }
        if (match.lastRole() != null) {
            String role = messages.isEmpty() ? "" : messages.get(messages.size() - 1).role();
            if (!match.lastRole().equals(role)) {
                return Optional.empty();
            }
        }
        if (match.model() != null && find(match.model(), request.path("model").asText("")) == null) {
            return Optional.empty();
        }
        if (match.tool() != null) {
            boolean offered = false;
            for (JsonNode tool : request.path("tools")) {
                offered |= match.tool().equals(tool.path("function").path("name").asText());
            }
            if (!offered) {
                return Optional.empty();
            }
        }
        return Optional.of(captures == null ? List.of() : captures);
    }

    private List<String> find(String regex, String text) {
        Matcher m = patterns.computeIfAbsent(regex, Pattern::compile).matcher(text);
        if (!m.find()) {
            return null;
        }
        List<String> groups = new ArrayList<>();
        for (int g = 0; g <= m.groupCount(); g++) {
            groups.add(m.group(g) == null ? "" : m.group(g));
        }
        return groups;
    }

    private static String last(List<Message> messages) {
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).content();
    }

    private static String lastUser(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /** Replaces {@code {{N}}} with capture group N and {@code {{last}}} with the last message's text. */
    static String substitute(String template, List<String> captures, String last) {
        Matcher m = CAPTURE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value = key.equals("last") ? last
                    : Integer.parseInt(key) < captures.size() ? captures.get(Integer.parseInt(key)) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static JsonNode fill(JsonNode node, List<String> captures, String last) {
        if (node.isTextual()) {
            return new TextNode(substitute(node.asText(), captures, last));
        }
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), fill(e.getValue(), captures, last)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(item -> copy.add(fill(item, captures, last)));
            return copy;
        }
        return node;
    }

    /** The default reply: a JSON sample for structured output, else a reply picked by a hash of the request. */
    private String fallback(JsonNode request, List<Message> messages) {
        byte[] hash = sha256(request.path("messages").toString());
        JsonNode format = request.path("response_format");
        String type = format.path("type").asText("text");
        List<String> replies = script.fallback().replies();
        String text = substitute(replies.get(Math.floorMod(hash[0] * 256 + hash[1], replies.size())), List.of(),
                last(messages));
        if (type.equals("json_schema")) {
            return sample(format.path("json_schema").path("schema"), text, hash, 0).toString();
        }
        if (type.equals("json_object")) {
            return NODES.objectNode().put("answer", text).toString();
        }
        return text;
    }

    /** A minimal instance of a JSON schema, deterministic for the request. */
    private static JsonNode sample(JsonNode schema, String text, byte[] hash, int depth) {
        JsonNode enumValues = schema.path("enum");
        if (enumValues.isArray() && !enumValues.isEmpty()) {
            return enumValues.get(Math.floorMod(hash[depth % hash.length], enumValues.size()));
        }
        JsonNode anyOf = schema.has("anyOf") ? schema.get("anyOf") : schema.path("oneOf");
        if (anyOf.isArray() && !anyOf.isEmpty()) {
            return sample(anyOf.get(0), text, hash, depth + 1);
        }
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText()
                : schema.path("type").asText(schema.has("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> {
                ObjectNode obj = NODES.objectNode();
                Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").properties().iterator();
                int i = 0;
                while (props.hasNext() && depth < 8) {
                    Map.Entry<String, JsonNode> p = props.next();
                    obj.set(p.getKey(), sample(p.getValue(), text, hash, depth + 1 + i++));
                }
                yield obj;
            }
            case "array" -> NODES.arrayNode().add(sample(schema.path("items"), text, hash, depth + 1));
            case "integer" -> NODES.numberNode(Math.floorMod(hash[depth % hash.length], 10));
            case "number" -> NODES.numberNode(Math.floorMod(hash[depth % hash.length], 100) / 10.0);
            case "boolean" -> NODES.booleanNode((hash[depth % hash.length] & 1) == 1);
            case "null" -> NODES.nullNode();
            default -> new TextNode(text);
        };
    }

    private static int promptTokens(JsonNode request, List<Message> messages) {
        int total = 3;
        for (Message m : messages) {
            total += 4 + tokens(m.content());
        }
        JsonNode tools = request.path("tools");
        return total + (tools.isMissingNode() ? 0 : tokens(tools.toString()));
    }

    /** A deterministic token estimate: words and punctuation marks. */
    static int tokens(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        Matcher m = TOKEN.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
