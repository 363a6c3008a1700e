package dev.sextant.server.traces;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Display helpers for the trace templates (text only: jte escapes everything they return). */
public final class TraceViews {
    private TraceViews() {
    }

    /** A span placed in the tree and on the waterfall (offset and width in percent of the trace). */
    public record Row(Span span, int depth, double offset, double width) {
    }

    public static List<Row> rows(TraceDetail detail) {
        List<Row> rows = new ArrayList<>();
        Instant start = detail.trace().startTime();
        long total = Math.max(1, detail.trace().latencyMs());
        for (Span root : detail.spans()) {
            walk(root, 0, start, total, rows);
        }
        return rows;
    }

    private static void walk(Span span, int depth, Instant start, long total, List<Row> rows) {
        double offset = span.startTime() == null ? 0 : (span.startTime().toEpochMilli() - start.toEpochMilli()) * 100.0 / total;
        double width = span.latencyMs() == null ? 0 : span.latencyMs() * 100.0 / total;
        offset = Math.max(0, Math.min(100, offset));
        rows.add(new Row(span, Math.min(depth, 12), offset, Math.max(0.5, Math.min(100 - offset, width))));
        for (Span child : span.children()) {
            walk(child, depth + 1, start, total, rows);
        }
    }

    /** Pretty-printed JSON for the viewer. */
    public static String pretty(JsonNode node) {
        if (node == null) {
            return "";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    /** One line of text for a table cell: the last message's text, or the value itself. */
    public static String preview(JsonNode node) {
        String text;
        List<Messages.Message> messages = Messages.view(node);
        if (!messages.isEmpty()) {
            Messages.Message last = messages.getLast();
            text = last.parts().stream().map(p -> p.isToolCall() ? "→ " + p.toolName() + "(" + p.text() + ")" : p.text())
                    .reduce((a, b) -> a + " " + b).orElse("");
        } else {
            text = node == null ? "" : Messages.text(node);
        }
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > 140 ? text.substring(0, 140) + "…" : text;
    }

    public static String duration(Long ms) {
        if (ms == null) {
            return "";
        }
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    public static String cost(Double usd) {
        if (usd == null) {
            return "";
        }
        return usd == 0 ? "$0" : usd < 0.01 ? String.format(Locale.ROOT, "$%.6f", usd)
                : String.format(Locale.ROOT, "$%.4f", usd);
    }

    public static String tokens(Span.Usage usage) {
        if (usage == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        text.append(usage.input() == null ? "–" : usage.input()).append(" in · ")
                .append(usage.output() == null ? "–" : usage.output()).append(" out");
        if (usage.cached() != null) {
            text.append(" · ").append(usage.cached()).append(" cached");
        }
        if (usage.reasoning() != null) {
            text.append(" · ").append(usage.reasoning()).append(" reasoning");
        }
        return text.toString();
    }
}
