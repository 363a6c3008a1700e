package dev.sextant.server.monitoring;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which spans or traces an online rule evaluates; every set field must match. For trace rules,
 * kind, name, model and prompt match when any span of the trace has them.
 *
 * @param metadata trace metadata keys that must have these (string) values
 */
public record RuleFilter(String kind, String name, String model, String promptName, Integer promptVersion,
                         List<String> tags, Map<String, String> metadata) {

    public static final RuleFilter ANY = new RuleFilter(null, null, null, null, null, List.of(), Map.of());

    public RuleFilter {
        tags = tags == null ? List.of() : List.copyOf(tags);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        kind = blankToNull(kind);
        name = blankToNull(name);
        model = blankToNull(model);
        promptName = blankToNull(promptName);
    }

    /** The facts a filter looks at, from a span (and its trace) or a trace. */
    record Facts(List<SpanFacts> spans, List<String> tags, Map<String, Object> metadata) {
    }

    record SpanFacts(String kind, String name, String model, String promptName, Integer promptVersion) {
    }

    boolean matches(Facts facts) {
        if (!facts.tags().containsAll(tags)) {
            return false;
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            Object value = facts.metadata().get(e.getKey());
            if (value == null || !String.valueOf(value).equals(e.getValue())) {
                return false;
            }
        }
        if (kind == null && name == null && model == null && promptName == null && promptVersion == null) {
            return true;
        }
        return facts.spans().stream().anyMatch(s -> (kind == null || kind.equals(s.kind()))
                && (name == null || name.equals(s.name())) && (model == null || model.equals(s.model()))
                && (promptName == null || promptName.equals(s.promptName()))
                && (promptVersion == null || Objects.equals(promptVersion, s.promptVersion())));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
