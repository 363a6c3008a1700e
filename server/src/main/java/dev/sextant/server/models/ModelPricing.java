package dev.sextant.server.models;

import java.util.Optional;

/**
 * Prices per million tokens by model; the gateway multiplies them with usage to get the cost. The
 * composition root backs it with the traces pricing table (with per-project overrides), so a
 * gateway call costs the same as the span it is recorded as.
 */
@FunctionalInterface
public interface ModelPricing {
    ModelPricing NONE = (projectId, provider, model) -> Optional.empty();

    /** USD per million input and output tokens. */
    record Price(double inputPerMillion, double outputPerMillion) {
        public double cost(Usage usage) {
            return (usage.inputTokens() * inputPerMillion + usage.outputTokens() * outputPerMillion) / 1_000_000.0;
        }
    }

    Optional<Price> price(String projectId, String provider, String model);
}
