package dev.sextant.server.models;

import java.util.Map;
import java.util.Optional;

/** Prices per million tokens by model; the gateway multiplies them with usage to get the cost. */
@FunctionalInterface
public interface ModelPricing {

    /** USD per million input and output tokens. */
    record Price(double inputPerMillion, double outputPerMillion) {
        public double cost(Usage usage) {
            return (usage.inputTokens() * inputPerMillion + usage.outputTokens() * outputPerMillion) / 1_000_000.0;
        }
    }

    Optional<Price> price(String provider, String model);

    /** A small built-in table: the sim and a few common models (list prices, USD). */
    static ModelPricing defaults() {
        Map<String, Price> table = Map.ofEntries(
                Map.entry("sim-1", new Price(0.50, 1.50)),
                Map.entry("sim-2", new Price(2.00, 6.00)),
                Map.entry("gpt-4o", new Price(2.50, 10.00)),
                Map.entry("gpt-4o-mini", new Price(0.15, 0.60)),
                Map.entry("gpt-4.1", new Price(2.00, 8.00)),
                Map.entry("gpt-4.1-mini", new Price(0.40, 1.60)),
                Map.entry("claude-3-5-haiku-latest", new Price(0.80, 4.00)),
                Map.entry("claude-sonnet-4-0", new Price(3.00, 15.00)),
                Map.entry("gemini-2.0-flash", new Price(0.10, 0.40)),
                Map.entry("gemini-2.5-pro", new Price(1.25, 10.00)));
        return (provider, model) -> Optional.ofNullable(model == null ? null : table.get(model));
    }
}
