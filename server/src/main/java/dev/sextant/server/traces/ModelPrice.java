package dev.sextant.server.traces;

/** USD per one million tokens for a model; {@code source} is {@code builtin} or {@code project}. */
public record ModelPrice(String model, double inputPerMillion, double outputPerMillion, Double cachedPerMillion,
                         String source) {
}
