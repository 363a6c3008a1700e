package dev.sextant.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code sextant eval} found, and its renderings: JUnit XML (one test case per item x criterion, the
 * judge's reason as the failure message, plus a suite for the gates) and a Markdown summary for PRs.
 *
 * @param items     the candidate run's items with judgments
 * @param scorecard the candidate run's scorecard
 * @param deltas    comparison deltas against the baseline (empty without a baseline)
 */
record EvalReport(String title, String link, List<JsonNode> items, JsonNode scorecard, List<JsonNode> deltas,
                  List<Gate> gates) {

    /** One gate: a threshold or the baseline comparison of a criterion. */
    record Gate(String name, boolean passed, String detail) {
    }

    boolean passed() {
        return gates.stream().allMatch(Gate::passed);
    }

    static List<Gate> gates(JsonNode scorecard, Map<String, Double> thresholds, List<JsonNode> deltas) {
        List<Gate> gates = new ArrayList<>();
        thresholds.forEach((criterion, threshold) -> {
            JsonNode c = criterion(scorecard, criterion);
            if (c == null || !c.path("estimate").isNumber()) {
                gates.add(new Gate("threshold " + criterion, false, "no score for criterion '" + criterion + "'"));
                return;
            }
            double estimate = c.path("estimate").asDouble();
            gates.add(new Gate("threshold " + criterion, estimate >= threshold, String.format(Locale.ROOT,
                    "%s = %.3f (95%% CI %s), threshold %.3f", criterion, estimate, interval(c), threshold)));
        });
        for (JsonNode d : deltas) {
            String verdict = d.path("verdict").asText();
            gates.add(new Gate("baseline " + d.path("criterion").asText(), !verdict.equals("worse"),
                    String.format(Locale.ROOT, "Δ %s (95%% CI %s) → %s", signed(d.path("delta")),
                            range(d.path("low"), d.path("high")), verdict)));
        }
        return gates;
    }

    String junit() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"")
                .append(esc(title)).append("\">\n");
        List<String> cases = new ArrayList<>();
        int failures = 0;
        int errors = 0;
        for (JsonNode item : items) {
            String id = item.path("itemId").asText() + (item.path("repetition").asInt(1) > 1
                    ? " #" + item.path("repetition").asInt() : "");
            for (JsonNode criterion : scorecard.path("criteria")) {
                String name = criterion.path("name").asText();
                StringBuilder c = new StringBuilder("    <testcase classname=\"").append(esc(name))
                        .append("\" name=\"").append(esc(id)).append("\" time=\"")
                        .append(String.format(Locale.ROOT, "%.3f", item.path("latencyMs").asLong(0) / 1000.0))
                        .append("\"");
                JsonNode judgment = judgment(item, name);
                if (!item.path("error").isMissingNode() && !item.path("error").isNull()) {
                    errors++;
                    c.append(">\n      <error message=\"").append(esc(item.path("error").asText()))
                            .append("\" type=\"target\"/>\n    </testcase>");
                } else if (judgment == null || judgment.hasNonNull("error")) {
                    errors++;
                    String message = judgment == null ? "not judged" : judgment.path("error").asText();
                    c.append(">\n      <error message=\"").append(esc(message)).append("\" type=\"evaluator\"/>\n")
                            .append("    </testcase>");
                } else if (judgment.path("passed").isBoolean() && !judgment.path("passed").asBoolean()) {
                    failures++;
                    c.append(">\n      <failure message=\"").append(esc(judgment.path("reason").asText("failed")))
                            .append("\" type=\"judgment\">").append(esc("value: " + judgment.path("value")
                                    + "\noutput: " + item.path("output").asText())).append("</failure>\n")
                            .append("    </testcase>");
                } else {
                    c.append("/>");
                }
                cases.add(c.toString());
            }
        }
        xml.append("  <testsuite name=\"").append(esc(title)).append("\" tests=\"").append(cases.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors)
                .append("\" skipped=\"0\">\n");
        cases.forEach(c -> xml.append(c).append('\n'));
        xml.append("  </testsuite>\n");
        long failedGates = gates.stream().filter(g -> !g.passed()).count();
        xml.append("  <testsuite name=\"gates\" tests=\"").append(gates.size()).append("\" failures=\"")
                .append(failedGates).append("\" errors=\"0\" skipped=\"0\">\n");
        for (Gate gate : gates) {
            xml.append("    <testcase classname=\"gates\" name=\"").append(esc(gate.name())).append("\"");
            if (gate.passed()) {
                xml.append("/>\n");
            } else {
                xml.append(">\n      <failure message=\"").append(esc(gate.detail())).append("\" type=\"gate\"/>\n")
                        .append("    </testcase>\n");
            }
        }
        return xml.append("  </testsuite>\n</testsuites>\n").toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder("## ").append(passed() ? "✅" : "❌").append(" Sextant eval: ")
                .append(title).append("\n\n");
        md.append("| criterion | score | 95% CI | n | errors |\n|---|---|---|---|---|\n");
        for (JsonNode c : scorecard.path("criteria")) {
            md.append("| ").append(c.path("name").asText()).append(" | ").append(score(c)).append(" | ")
                    .append(interval(c)).append(" | ").append(c.path("n").asInt()).append(" | ")
                    .append(c.path("errors").asInt()).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "%nItems: %d · errors: %d · cost: %s · latency p50 %s / p95 %s%n",
                scorecard.path("items").asInt(), scorecard.path("errors").asInt(),
                scorecard.path("costUsd").isNumber() ? String.format(Locale.ROOT, "$%.4f",
                        scorecard.path("costUsd").asDouble()) : "n/a",
                ms(scorecard.path("latencyP50Ms")), ms(scorecard.path("latencyP95Ms"))));
        if (!deltas.isEmpty()) {
            md.append("\n### Against the baseline\n\n| criterion | baseline | this | Δ | 95% CI | verdict |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (JsonNode d : deltas) {
                md.append("| ").append(d.path("criterion").asText()).append(" | ").append(num(d.path("baseline")))
                        .append(" | ").append(num(d.path("challenger"))).append(" | ").append(signed(d.path("delta")))
                        .append(" | ").append(range(d.path("low"), d.path("high"))).append(" | ")
                        .append(d.path("verdict").asText()).append(" |\n");
            }
        }
        if (!gates.isEmpty()) {
            md.append("\n### Gates\n\n");
            for (Gate g : gates) {
                md.append("- ").append(g.passed() ? "✅ " : "❌ ").append(g.name()).append(": ").append(g.detail())
                        .append('\n');
            }
        }
        if (link != null) {
            md.append("\n[Open in Sextant](").append(link).append(")\n");
        }
        return md.toString();
    }

    private static JsonNode judgment(JsonNode item, String criterion) {
        for (JsonNode j : item.path("judgments")) {
            if (j.path("evaluator").asText().equals(criterion)) {
                return j;
            }
        }
        return null;
    }

    static JsonNode criterion(JsonNode scorecard, String name) {
        for (JsonNode c : scorecard.path("criteria")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String score(JsonNode c) {
        if (!c.path("estimate").isNumber()) {
            return "n/a";
        }
        return c.path("kind").asText().equals("pass_rate")
                ? String.format(Locale.ROOT, "%.1f%%", 100 * c.path("estimate").asDouble())
                : num(c.path("estimate"));
    }

    private static String interval(JsonNode c) {
        return range(c.path("low"), c.path("high"));
    }

    private static String range(JsonNode low, JsonNode high) {
        return low.isNumber() && high.isNumber() ? "[" + num(low) + ", " + num(high) + "]" : "n/a";
    }

    private static String num(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.3f", n.asDouble()) : "n/a";
    }

    private static String signed(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%+.3f", n.asDouble()) : "n/a";
    }

    private static String ms(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.0f ms", n.asDouble()) : "n/a";
    }

    /** XML attribute/text escaping; drops characters XML 1.0 forbids. */
    static String esc(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\n' -> sb.append("&#10;");
                case '\r', '\t' -> sb.append("&#").append(cp).append(';');
                default -> {
                    if (cp >= 0x20 && !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF) {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.toString();
    }
}
