package dev.sextant.sdk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the server's prompt JSON ({@code GET /api/prompts/{name}}). */
final class PromptJson {
    private PromptJson() {
    }

    @SuppressWarnings("unchecked")
    static Prompt parse(String body) {
        Map<String, Object> json;
        try {
            json = JsonText.json().mapFrom(body);
        } catch (IOException e) {
            throw new SextantException("malformed prompt JSON from server: " + e.getMessage(), e);
        }
        List<Message> messages = new ArrayList<>();
        Object rawMessages = json.get("messages");
        if (rawMessages instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> m) {
                    String role = String.valueOf(m.get("role"));
                    Object content = "placeholder".equals(role) && m.get("name") != null ? m.get("name") : m.get("content");
                    messages.add(new Message(role, content == null ? null : content.toString(), null, null, null));
                }
            }
        }
        List<String> labels = json.get("labels") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        Map<String, Object> model = json.get("model") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Object version = json.get("version");
        Object text = json.get("text");
        return new Prompt(String.valueOf(json.get("name")), version instanceof Number n ? n.intValue() : 0, labels,
                messages, text == null ? null : text.toString(), model);
    }
}
