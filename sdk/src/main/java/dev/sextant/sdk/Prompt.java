package dev.sextant.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One prompt version as served by Sextant: chat messages or a text template, with its model
 * configuration. Rendering happens locally with the same semantics as the server.
 *
 * @param messages chat messages; a message with role {@code placeholder} and the variable name
 *                 as content marks where a list of history messages is inserted
 */
public record Prompt(String name, int version, List<String> labels, List<Message> messages, String text,
                     Map<String, Object> model) {

    public Prompt {
        labels = labels == null ? List.of() : List.copyOf(labels);
        messages = messages == null ? List.of() : List.copyOf(messages);
        Map<String, Object> config = new java.util.LinkedHashMap<>();
        if (model != null) {
            model.forEach((k, v) -> {
                if (v != null) {
                    config.put(k, v);
                }
            });
        }
        model = java.util.Collections.unmodifiableMap(config);
    }

    /** A default bundled with the application, used when the server cannot be reached. */
    public static Prompt fallback(String name, List<Message> messages, Map<String, Object> model) {
        return new Prompt(name, 0, List.of("fallback"), messages, null, model);
    }

    public boolean isChat() {
        return text == null;
    }

    /**
     * Renders the chat messages. A placeholder is replaced by the {@code List<Message>} given under
     * its name (or dropped when absent).
     *
     * @throws IllegalArgumentException naming a missing variable
     */
    public List<Message> render(Map<String, ?> variables) {
        List<Message> out = new ArrayList<>();
        for (Message message : messages) {
            if ("placeholder".equals(message.role())) {
                Object history = variables == null ? null : variables.get(message.content());
                if (history instanceof List<?> list) {
                    list.stream().filter(Message.class::isInstance).map(Message.class::cast).forEach(out::add);
                }
                continue;
            }
            String content = message.content() == null ? null
                    : PromptTemplate.compile(message.content()).render(variables == null ? Map.of() : variables);
            out.add(new Message(message.role(), content, message.toolName(), message.toolCallId(), message.arguments()));
        }
        return out;
    }

    /** Renders a text prompt. */
    public String renderText(Map<String, ?> variables) {
        return PromptTemplate.compile(text == null ? "" : text).render(variables == null ? Map.of() : variables);
    }

    public String modelName() {
        Object name = model.get("name");
        return name == null ? null : name.toString();
    }

    public String provider() {
        Object provider = model.get("provider");
        return provider == null ? null : provider.toString();
    }
}
