package dev.sextant.server.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import dev.sextant.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The difference between two versions: a line diff of the templates (in {@code .prompt} body form,
 * so message roles are part of it) and a field-by-field diff of the model config and tools.
 *
 * @param lines    every line of both templates with {@code equal}, {@code delete} or {@code insert}
 * @param unified  the same as a unified diff, for terminals
 * @param config   changed config fields such as {@code model.temperature} or {@code tools.lookup}
 */
public record PromptDiff(String name, int from, int to, List<Line> lines, String unified, List<Change> config) {

    public record Line(String op, String text) {
    }

    /** A changed field; {@code from} or {@code to} is null when the field was added or removed. */
    public record Change(String field, JsonNode from, JsonNode to) {
    }

    public boolean templateChanged() {
        return lines.stream().anyMatch(l -> !l.op().equals("equal"));
    }

    static PromptDiff between(String name, PromptVersion a, PromptVersion b) {
        List<String> left = lines(a);
        List<String> right = lines(b);
        Patch<String> patch = DiffUtils.diff(left, right);
        List<Line> lines = new ArrayList<>();
        int position = 0;
        for (AbstractDelta<String> delta : patch.getDeltas()) {
            for (; position < delta.getSource().getPosition(); position++) {
                lines.add(new Line("equal", left.get(position)));
            }
            delta.getSource().getLines().forEach(l -> lines.add(new Line("delete", l)));
            delta.getTarget().getLines().forEach(l -> lines.add(new Line("insert", l)));
            position += delta.getSource().size();
        }
        for (; position < left.size(); position++) {
            lines.add(new Line("equal", left.get(position)));
        }
        String unified = String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(
                name + " v" + a.version(), name + " v" + b.version(), left, patch, 3));
        return new PromptDiff(name, a.version(), b.version(), lines, unified, configChanges(a, b));
    }

    /** The template as lines, without the empty string after the body's final newline. */
    private static List<String> lines(PromptVersion v) {
        String body = PromptFile.body(v.content());
        return List.of(body.substring(0, body.length() - 1).split("\n", -1));
    }

    private static List<Change> configChanges(PromptVersion a, PromptVersion b) {
        Map<String, JsonNode> left = flatten(a);
        Map<String, JsonNode> right = flatten(b);
        List<Change> changes = new ArrayList<>();
        for (String field : new TreeSet<>(union(left, right))) {
            if (!Objects.equals(left.get(field), right.get(field))) {
                changes.add(new Change(field, left.get(field), right.get(field)));
            }
        }
        return changes;
    }

    private static java.util.Set<String> union(Map<String, JsonNode> a, Map<String, JsonNode> b) {
        java.util.Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static Map<String, JsonNode> flatten(PromptVersion v) {
        Map<String, JsonNode> fields = new TreeMap<>();
        if (v.model() != null) {
            Json.mapper().<JsonNode>valueToTree(v.model()).properties()
                    .forEach(e -> fields.put("model." + e.getKey(), e.getValue()));
        }
        if (v.tools() != null) {
            v.tools().forEach(t -> fields.put("tools." + t.name(), Json.mapper().valueToTree(t)));
        }
        return fields;
    }
}
