package dev.sextant.server.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The browser editor's fields as strings, both ways: filled from a version to edit it, and parsed
 * from the submitted form into a new version. Common edits need no JSON; tools and the response
 * format are JSON in an "advanced" section. For a placeholder message, the content field holds the
 * placeholder's name.
 */
public record PromptForm(boolean isNew, Integer baseVersion, String name, String type, List<Message> messages,
                         String text, String provider, String modelName, String temperature, String maxTokens,
                         String topP, String stop, String seed, String responseFormat, String tools,
                         String commitMessage) {

    public record Message(String role, String content) {
    }

    public static PromptForm blank() {
        return new PromptForm(true, null, "", "chat", List.of(new Message("system", ""), new Message("user", "")), "",
                "sim", "sim-1", "0.2", "", "", "", "", "", "", "");
    }

    public static PromptForm of(PromptVersion v) {
        List<Message> messages = v.messages() == null ? List.of(new Message("user", "")) : v.messages().stream()
                .map(m -> new Message(m.role(), m.isPlaceholder() ? m.name() : m.content())).toList();
        ModelConfig m = v.model() == null ? new ModelConfig(null, null, null, null, null, null, null, null) : v.model();
        return new PromptForm(false, v.version(), v.name(), v.type(), messages, v.text() == null ? "" : v.text(),
                text(m.provider()), text(m.name()), text(m.temperature()), text(m.maxTokens()), text(m.topP()),
                m.stop() == null ? "" : String.join("\n", m.stop()), text(m.seed()),
                m.responseFormat() == null ? "" : pretty(m.responseFormat()),
                v.tools() == null ? "" : pretty(Json.mapper().valueToTree(v.tools())), "");
    }

    public static PromptForm from(Context ctx) {
        List<String> roles = ctx.formParams("role");
        List<String> contents = ctx.formParams("content");
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            messages.add(new Message(roles.get(i), i < contents.size() ? normalize(contents.get(i)) : ""));
        }
        Integer base = whole(value(ctx, "baseVersion"), "Base version");
        return new PromptForm("true".equals(ctx.formParam("isNew")), base, value(ctx, "name").trim(), "text".equals(ctx.formParam("type")) ? "text" : "chat",
                messages, normalize(value(ctx, "text")), value(ctx, "provider"), value(ctx, "modelName"),
                value(ctx, "temperature"), value(ctx, "maxTokens"), value(ctx, "topP"), value(ctx, "stop"),
                value(ctx, "seed"), value(ctx, "responseFormat"), value(ctx, "tools"), value(ctx, "commitMessage"));
    }

    /** The version to save; bad numbers or JSON are 422s that say which field. */
    public PromptService.NewVersion toNewVersion() {
        List<PromptMessage> parsed = null;
        String template = null;
        if (type.equals("text")) {
            template = text;
        } else {
            parsed = messages.stream().map(m -> PromptMessage.PLACEHOLDER.equals(m.role())
                    ? PromptMessage.placeholder(m.content().trim()) : PromptMessage.of(m.role(), m.content())).toList();
        }
        ModelConfig model = new ModelConfig(provider, modelName, decimal(temperature, "Temperature"),
                whole(maxTokens, "Max tokens"), decimal(topP, "Top-p"),
                stop.isBlank() ? null : Arrays.stream(stop.split("\\r?\\n")).filter(s -> !s.isEmpty()).toList(),
                seed.isBlank() ? null : whole(seed, "Seed").longValue(),
                responseFormat.isBlank() ? null : json(responseFormat, "Response format", new TypeReference<JsonNode>() { }));
        List<ToolDefinition> toolList = tools.isBlank() ? null
                : json(tools, "Tools", new TypeReference<List<ToolDefinition>>() { });
        return new PromptService.NewVersion(name, new PromptContent(parsed, template, model, toolList), commitMessage,
                List.of());
    }

    private static Double decimal(String raw, String field) {
        try {
            return raw.isBlank() ? null : Double.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field + " must be a number");
        }
    }

    private static Integer whole(String raw, String field) {
        try {
            return raw.isBlank() ? null : Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field + " must be a whole number");
        }
    }

    private static <T> T json(String raw, String field, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(raw, type);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(field + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String value(Context ctx, String field) {
        String v = ctx.formParam(field);
        return v == null ? "" : v;
    }

    /** Browsers submit textarea line breaks as CRLF; prompts keep LF. */
    private static String normalize(String s) {
        return s.replace("\r\n", "\n");
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String pretty(JsonNode node) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
