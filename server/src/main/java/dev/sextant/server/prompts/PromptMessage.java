package dev.sextant.server.prompts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Set;

/**
 * One chat message of a prompt: {@code system}, {@code user} or {@code assistant} with a template
 * as content, or a {@code placeholder} (content-less, with a name such as {@code history}) that
 * rendering replaces with the list of messages passed in the variable of that name.
 */
public record PromptMessage(String role, String content, String name) {
    public static final String PLACEHOLDER = "placeholder";
    public static final Set<String> ROLES = Set.of("system", "user", "assistant", PLACEHOLDER);

    public static PromptMessage of(String role, String content) {
        return new PromptMessage(role, content, null);
    }

    public static PromptMessage placeholder(String name) {
        return new PromptMessage(PLACEHOLDER, null, name);
    }

    @JsonIgnore
    public boolean isPlaceholder() {
        return PLACEHOLDER.equals(role);
    }
}
