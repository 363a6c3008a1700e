package dev.sextant.server.models;

/** Token usage as the provider reported it. */
public record Usage(int inputTokens, int outputTokens) {
    public static final Usage NONE = new Usage(0, 0);

    public int totalTokens() {
        return inputTokens + outputTokens;
    }
}
