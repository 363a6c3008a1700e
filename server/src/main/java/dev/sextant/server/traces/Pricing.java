package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Model prices: the shipped table ({@code traces/pricing.json}) under per-project overrides. A
 * model name matches the longest entry it starts with (after any {@code provider/} prefix), so
 * dated variants share their family's price.
 */
public final class Pricing {
    private final Map<String, ModelPrice> builtin;

    public Pricing() {
        this.builtin = load();
    }

    private static Map<String, ModelPrice> load() {
        try (InputStream in = Pricing.class.getResourceAsStream("/traces/pricing.json")) {
            if (in == null) {
                throw new IllegalStateException("traces/pricing.json missing from the classpath");
            }
            Map<String, ModelPrice> prices = new LinkedHashMap<>();
            for (JsonNode row : Json.mapper().readTree(in).path("models")) {
                String model = row.path("model").asText();
                prices.put(model, new ModelPrice(model, row.path("input").asDouble(), row.path("output").asDouble(),
                        row.hasNonNull("cached") ? row.path("cached").asDouble() : null, "builtin"));
            }
            return prices;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The effective list: overrides first, then shipped prices they do not replace. */
    public List<ModelPrice> effective(Map<String, ModelPrice> overrides) {
        List<ModelPrice> all = new ArrayList<>(overrides.values());
        builtin.values().stream().filter(p -> !overrides.containsKey(p.model())).forEach(all::add);
        return all;
    }

    public Optional<ModelPrice> find(String model, Map<String, ModelPrice> overrides) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        String name = model.toLowerCase(Locale.ROOT).trim();
        name = name.substring(name.lastIndexOf('/') + 1);
        Optional<ModelPrice> own = longestPrefix(name, overrides.values());
        return own.isPresent() ? own : longestPrefix(name, builtin.values());
    }

    private static Optional<ModelPrice> longestPrefix(String name, Collection<ModelPrice> prices) {
        ModelPrice best = null;
        for (ModelPrice p : prices) {
            String key = p.model().toLowerCase(Locale.ROOT);
            if (name.startsWith(key) && (best == null || key.length() > best.model().length())) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    /** USD for the given usage; cached input tokens are part of {@code input} and billed at the cached rate. */
    public static Double cost(ModelPrice price, Long input, Long output, Long cached) {
        if (input == null && output == null) {
            return null;
        }
        long in = input == null ? 0 : input;
        long out = output == null ? 0 : output;
        long hit = cached == null || price.cachedPerMillion() == null ? 0 : Math.min(cached, in);
        double usd = (in - hit) * price.inputPerMillion() + out * price.outputPerMillion()
                + hit * (price.cachedPerMillion() == null ? 0 : price.cachedPerMillion());
        return usd / 1_000_000d;
    }
}
