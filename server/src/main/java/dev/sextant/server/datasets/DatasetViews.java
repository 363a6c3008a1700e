package dev.sextant.server.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small display helpers for the dataset templates. */
public final class DatasetViews {
    private DatasetViews() {
    }

    /** The dataset's path inside a project, e.g. {@code /datasets/support%20questions}. */
    public static String path(Dataset dataset) {
        return "/datasets/" + URLEncoder.encode(dataset.name(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Text as is, other JSON values as compact JSON, nothing as an empty string. */
    public static String text(JsonNode value) {
        return DatasetFiles.cell(value);
    }

    public static List<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        if (object != null) {
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            it.forEachRemaining(fields::add);
        }
        return fields;
    }

    /** The input variable names used by these items, in order of first appearance. */
    public static List<String> variables(List<DatasetItem> items) {
        Set<String> names = new LinkedHashSet<>();
        items.forEach(item -> item.input().fieldNames().forEachRemaining(names::add));
        return List.copyOf(names);
    }

    /** One changed field of an edited item, as display text. */
    public record FieldDiff(String field, String before, String after) {
    }

    /** The fields an edit changed: each input variable, expected output, metadata key, messages, source. */
    public static List<FieldDiff> differences(VersionChanges.Edit edit) {
        DatasetItem a = edit.before();
        DatasetItem b = edit.after();
        List<FieldDiff> diffs = new ArrayList<>();
        objectDiffs("input.", a.input(), b.input(), diffs);
        add(diffs, "expected output", a.expectedOutput(), b.expectedOutput());
        objectDiffs("metadata.", a.metadata(), b.metadata(), diffs);
        add(diffs, "messages", a.messages(), b.messages());
        if (!java.util.Objects.equals(a.sourceTraceId(), b.sourceTraceId())
                || !java.util.Objects.equals(a.sourceSpanId(), b.sourceSpanId())) {
            diffs.add(new FieldDiff("source", a.sourceTraceId() + " " + a.sourceSpanId(),
                    b.sourceTraceId() + " " + b.sourceSpanId()));
        }
        return diffs;
    }

    private static void objectDiffs(String prefix, JsonNode before, JsonNode after, List<FieldDiff> diffs) {
        Set<String> names = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            add(diffs, prefix + name, before.get(name), after.get(name));
        }
    }

    private static void add(List<FieldDiff> diffs, String field, JsonNode before, JsonNode after) {
        if (!java.util.Objects.equals(before, after)) {
            diffs.add(new FieldDiff(field, text(before), text(after)));
        }
    }

    /** "+2 ~1 −0" style summary of one version. */
    public static String counts(DatasetVersion v) {
        List<String> parts = new ArrayList<>();
        if (v.added() > 0) {
            parts.add("+" + v.added());
        }
        if (v.edited() > 0) {
            parts.add("~" + v.edited());
        }
        if (v.deleted() > 0) {
            parts.add("−" + v.deleted());
        }
        return String.join(" ", parts);
    }
}
