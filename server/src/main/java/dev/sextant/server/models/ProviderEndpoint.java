package dev.sextant.server.models;

/**
 * Where and how to call one provider: its kind, base URL (null: the provider's default) and API key
 * (null when none is needed). {@link #toString()} hides the key so it never reaches a log.
 */
public record ProviderEndpoint(String name, ProviderKind kind, String baseUrl, String apiKey) {
    @Override
    public String toString() {
        return "ProviderEndpoint[name=" + name + ", kind=" + kind.id() + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }
}
