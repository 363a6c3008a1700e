package dev.sextant.server.models;

/**
 * A change to a provider: {@code kind} (defaults to the name when the name is a kind), {@code baseUrl},
 * and {@code apiKey} (null keeps the stored key, an empty string removes it).
 */
public record ProviderUpdate(String kind, String baseUrl, String apiKey) {
    @Override
    public String toString() {
        return "ProviderUpdate[kind=" + kind + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "unchanged"
                : "***") + "]";
    }
}
