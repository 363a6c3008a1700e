package dev.sextant.server.models;

import java.time.Instant;

/**
 * A project's provider as shown by the API and UI: never the key, only whether one is set and its
 * last four characters. {@code builtIn} marks the in-process sim when the project has not overridden it.
 */
public record ProviderInfo(String name, String kind, String baseUrl, boolean apiKeySet, String apiKeyLast4,
                           boolean builtIn, String updatedBy, Instant updatedAt) {
}
