package dev.sextant.sdk;

import java.util.List;
import java.util.Map;

/**
 * One test case of a dataset version.
 *
 * @param input          input variables, e.g. {@code {"question": "…"}}
 * @param messages       chat history ({@code role}, {@code content}, …), empty when none
 * @param expectedOutput the reference answer (usually text), or null
 * @param metadata       anything to slice results by
 */
public record DatasetItem(String id, Map<String, Object> input, List<Map<String, Object>> messages,
                          Object expectedOutput, Map<String, Object> metadata) {

    public DatasetItem {
        input = input == null ? Map.of() : java.util.Collections.unmodifiableMap(input);
        messages = messages == null ? List.of() : List.copyOf(messages);
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(metadata);
    }

    /** An input variable as text (JSON for objects and lists), or null when absent. */
    public String input(String name) {
        Object value = input.get(name);
        return value == null ? null : JsonText.write(value);
    }

    /** The expected output as text (JSON for anything but a string), or null. */
    public String expectedText() {
        return expectedOutput == null ? null : JsonText.write(expectedOutput);
    }

    @SuppressWarnings("unchecked")
    static DatasetItem fromJson(Map<String, Object> json, String idField) {
        Object messages = json.get("messages");
        return new DatasetItem(String.valueOf(json.get(idField)),
                json.get("input") instanceof Map<?, ?> m ? (Map<String, Object>) m : null,
                messages instanceof List<?> l ? l.stream().filter(Map.class::isInstance)
                        .map(x -> (Map<String, Object>) x).toList() : null,
                json.get("expectedOutput"),
                json.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : null);
    }
}
