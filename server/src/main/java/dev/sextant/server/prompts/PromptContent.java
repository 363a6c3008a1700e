package dev.sextant.server.prompts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a prompt version holds and what its content hash covers: chat messages or a plain text
 * template, the model config and the tools. Commit message, author and labels are not content.
 */
public record PromptContent(List<PromptMessage> messages, String text, ModelConfig model,
                            List<ToolDefinition> tools) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> RESPONSE_TYPES = Set.of("text", "json_object", "json_schema");
    private static final int MAX_MESSAGES = 200;
    private static final int MAX_TEMPLATE_CHARS = 200_000;

    @JsonIgnore
    public boolean isChat() {
        return text == null;
    }

    /** Checks every rule and returns the content with empty lists dropped, so equal content hashes equally. */
    public PromptContent validated() {
        boolean hasMessages = messages != null && !messages.isEmpty();
        if (hasMessages && text != null) {
            throw ApiException.invalid("give either messages or text, not both");
        }
        if (!hasMessages && (text == null || text.isBlank())) {
            throw ApiException.invalid("a prompt needs messages or a text template");
        }
        if (hasMessages) {
            validateMessages();
        } else if (text.length() > MAX_TEMPLATE_CHARS) {
            throw ApiException.invalid("text must have at most " + MAX_TEMPLATE_CHARS + " characters");
        }
        ModelConfig cleanModel = model == null ? null : validated(model);
        List<ToolDefinition> cleanTools = tools == null || tools.isEmpty() ? null : validatedTools(tools);
        PromptContent clean = new PromptContent(hasMessages ? List.copyOf(messages) : null, hasMessages ? null : text,
                cleanModel, cleanTools);
        clean.templates().forEach(Templates::compile);
        return clean;
    }

    private void validateMessages() {
        if (messages.size() > MAX_MESSAGES) {
            throw ApiException.invalid("a prompt has at most " + MAX_MESSAGES + " messages");
        }
        Set<String> placeholders = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            PromptMessage m = messages.get(i);
            String where = "messages[" + i + "]";
            if (m == null || m.role() == null || !PromptMessage.ROLES.contains(m.role())) {
                throw ApiException.invalid(where + ".role must be system, user, assistant or placeholder");
            }
            if (m.isPlaceholder()) {
                if (m.name() == null || !IDENTIFIER.matcher(m.name()).matches()) {
                    throw ApiException.invalid(where + " is a placeholder and needs a name such as \"history\"");
                }
                if (m.content() != null && !m.content().isEmpty()) {
                    throw ApiException.invalid(where + " is a placeholder and has no content");
                }
                if (!placeholders.add(m.name())) {
                    throw ApiException.invalid("placeholder \"" + m.name() + "\" appears twice");
                }
            } else {
                if (m.content() == null) {
                    throw ApiException.invalid(where + ".content is required");
                }
                if (m.content().length() > MAX_TEMPLATE_CHARS) {
                    throw ApiException.invalid(where + ".content must have at most " + MAX_TEMPLATE_CHARS
                            + " characters");
                }
                if (m.name() != null) {
                    throw ApiException.invalid(where + ".name is only for placeholders");
                }
            }
        }
    }

    private static ModelConfig validated(ModelConfig m) {
        if (m.temperature() != null && (m.temperature() < 0 || m.temperature() > 2)) {
            throw ApiException.invalid("model.temperature must be between 0 and 2");
        }
        if (m.topP() != null && (m.topP() < 0 || m.topP() > 1)) {
            throw ApiException.invalid("model.topP must be between 0 and 1");
        }
        if (m.maxTokens() != null && m.maxTokens() < 1) {
            throw ApiException.invalid("model.maxTokens must be at least 1");
        }
        if (m.stop() != null && (m.stop().size() > 16 || m.stop().stream().anyMatch(s -> s == null || s.isEmpty()))) {
            throw ApiException.invalid("model.stop is a list of at most 16 non-empty strings");
        }
        JsonNode format = m.responseFormat();
        if (format != null && !format.isNull()) {
            String type = format.path("type").asText("");
            if (!format.isObject() || !RESPONSE_TYPES.contains(type)) {
                throw ApiException.invalid("model.responseFormat.type must be text, json_object or json_schema");
            }
            if (type.equals("json_schema") && !format.path("jsonSchema").path("schema").isObject()) {
                throw ApiException.invalid("model.responseFormat.jsonSchema.schema must be a JSON schema object");
            }
        }
        ModelConfig clean = new ModelConfig(blankToNull(m.provider()), blankToNull(m.name()), m.temperature(),
                m.maxTokens(), m.topP(), m.stop() == null || m.stop().isEmpty() ? null : List.copyOf(m.stop()), m.seed(),
                format == null || format.isNull() ? null : format);
        // An all-empty config is no config, so that it hashes like a prompt saved without one.
        return clean.equals(new ModelConfig(null, null, null, null, null, null, null, null)) ? null : clean;
    }

    private static List<ToolDefinition> validatedTools(List<ToolDefinition> tools) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            ToolDefinition t = tools.get(i);
            if (t == null || t.name() == null || !TOOL_NAME.matcher(t.name()).matches()) {
                throw ApiException.invalid("tools[" + i + "].name must be 1-64 letters, digits, _ or -");
            }
            if (!names.add(t.name())) {
                throw ApiException.invalid("tool \"" + t.name() + "\" is defined twice");
            }
            if (t.parameters() != null && !t.parameters().isNull() && !t.parameters().isObject()) {
                throw ApiException.invalid("tools[" + i + "].parameters must be a JSON schema object");
            }
        }
        return List.copyOf(tools);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Every template in order: the text, or each non-placeholder message's content. */
    List<String> templates() {
        if (!isChat()) {
            return List.of(text);
        }
        return messages.stream().filter(m -> !m.isPlaceholder()).map(PromptMessage::content).toList();
    }

    /** Variables to supply when rendering: template variables and placeholder names, in order of use. */
    public List<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        if (isChat()) {
            for (PromptMessage m : messages) {
                names.addAll(m.isPlaceholder() ? List.of(m.name()) : Templates.compile(m.content()).variables());
            }
        } else {
            names.addAll(Templates.compile(text).variables());
        }
        return List.copyOf(names);
    }

    /** Renders every template; a placeholder is replaced by the messages given in its variable (none when absent). */
    public Rendered render(Map<String, Object> variables) {
        if (!isChat()) {
            return new Rendered(null, Templates.render(text, variables));
        }
        List<PromptMessage> out = new ArrayList<>();
        for (PromptMessage m : messages) {
            if (m.isPlaceholder()) {
                out.addAll(placeholderMessages(m.name(), variables));
            } else {
                out.add(PromptMessage.of(m.role(), Templates.render(m.content(), variables)));
            }
        }
        return new Rendered(out, null);
    }

    private static List<PromptMessage> placeholderMessages(String name, Map<String, Object> variables) {
        Object value = variables.get(name);
        if (value == null) {
            return List.of();
        }
        String shape = "variable " + name + " must be a list of {\"role\", \"content\"} messages";
        if (!(value instanceof List<?> list)) {
            throw ApiException.badRequest(shape);
        }
        List<PromptMessage> result = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map) || !(map.get("role") instanceof String role)
                    || !(map.get("content") instanceof String content) || role.equals(PromptMessage.PLACEHOLDER)
                    || !PromptMessage.ROLES.contains(role)) {
                throw ApiException.badRequest(shape);
            }
            result.add(PromptMessage.of(role, content));
        }
        return result;
    }

    /** SHA-256 (hex) of the canonical JSON: keys sorted, nulls and empty lists left out. */
    public String hash() {
        return sha256(canonicalJson().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String canonicalJson() {
        return sorted(Json.mapper().valueToTree(this)).toString();
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return node;
    }

    /** A rendered prompt: messages for chat prompts, text for text prompts. */
    public record Rendered(List<PromptMessage> messages, String text) {
    }
}
