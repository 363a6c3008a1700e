package dev.sextant.server.models;

import java.util.List;

/** Which model to call and with which parameters (nulls mean the provider's default). */
public record ModelConfig(String provider, String name, Double temperature, Integer maxTokens, Double topP,
                          List<String> stop, Integer seed, OutputFormat responseFormat) {
    public ModelConfig {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static ModelConfig of(String provider, String name) {
        return new ModelConfig(provider, name, null, null, null, null, null, null);
    }
}
