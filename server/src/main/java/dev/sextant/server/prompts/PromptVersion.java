package dev.sextant.server.prompts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * One immutable version of a prompt as the API serves it: its content, the variables to supply,
 * the labels that currently point at it, and who made it when and why.
 *
 * @param type {@code chat} (messages) or {@code text}
 */
public record PromptVersion(String name, int version, String type, List<PromptMessage> messages, String text,
                            ModelConfig model, List<ToolDefinition> tools, List<String> variables,
                            List<String> labels, String commitMessage, String author, Instant createdAt,
                            String contentHash) {

    static PromptVersion of(String name, PromptStore.VersionRow row, PromptContent content, List<String> labels) {
        return new PromptVersion(name, row.version(), content.isChat() ? "chat" : "text", content.messages(),
                content.text(), content.model(), content.tools(), content.variables(), labels, row.commitMessage(),
                row.author(), row.createdAt(), row.contentHash());
    }

    @JsonIgnore
    public PromptContent content() {
        return new PromptContent(messages, text, model, tools);
    }
}
