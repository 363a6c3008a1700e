package dev.sextant.server.models;

import java.util.Optional;

/** Finds a project's provider by the name used in a model config ({@code sim}, {@code openai}, {@code groq}…). */
@FunctionalInterface
public interface ProviderResolver {
    Optional<ProviderEndpoint> resolve(String projectId, String provider);
}
