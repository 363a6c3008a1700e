package dev.sextant.server.prompts;

import java.time.Instant;
import java.util.Map;

/** A prompt in the list: its latest version and where its labels point. */
public record PromptSummary(String name, int latestVersion, Map<String, Integer> labels, String lastCommitMessage,
                            String lastAuthor, Instant createdAt, Instant updatedAt) {

    /** The folder part of the name ({@code support} for {@code support/answer}), empty at the top level. */
    public String folder() {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    /** The last part of the name. */
    public String shortName() {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
