package dev.sextant.server.evaluators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluator editor's form values: parsed into a definition and an example on submit, and
 * built from a saved version for editing. Keeping the raw values lets a rejected form re-render
 * exactly as typed.
 */
public final class EvaluatorForm {
    private final Map<String, List<String>> values;

    public EvaluatorForm(Map<String, List<String>> values) {
        this.values = values;
    }

    public static EvaluatorForm empty(String kind) {
        Map<String, List<String>> v = new HashMap<>();
        v.put("kind", List.of(kind == null || kind.isBlank() ? "code" : kind));
        v.put("codeMode", List.of("builtin"));
        v.put("builtin", List.of("contains"));
        v.put("params", List.of("{\"value\": \"refund\", \"caseSensitive\": false}"));
        return new EvaluatorForm(v);
    }

    /** The form for editing a saved version: saving it creates the next version. */
    public static EvaluatorForm of(EvaluatorDefinition d) {
        Map<String, List<String>> v = new HashMap<>();
        put(v, "name", d.name());
        put(v, "description", d.description());
        put(v, "kind", d.kind().id());
        OutputType t = d.outputType();
        put(v, "outType", t.type().id());
        put(v, "outMin", t.min() == null ? null : number(t.min()));
        put(v, "outMax", t.max() == null ? null : number(t.max()));
        put(v, "outCategories", t.categories() == null ? null : String.join(", ", t.categories()));
        put(v, "passThreshold", d.passRule().threshold() == null ? null : number(d.passRule().threshold()));
        put(v, "passValues", d.passRule().values() == null ? null : String.join(", ", d.passRule().values()));
        JsonNode c = d.config();
        switch (d.kind()) {
            case CODE -> {
                put(v, "codeMode", c.has("cel") ? "cel" : "builtin");
                put(v, "cel", c.path("cel").asText(null));
                put(v, "builtin", c.path("builtin").asText(null));
                put(v, "params", c.has("params") ? pretty(c.get("params")) : null);
                put(v, "negate", c.path("negate").asBoolean(false) ? "on" : null);
            }
            case LLM -> {
                put(v, "preset", c.path("preset").asText(null));
                put(v, "template", c.path("template").asText(null));
                put(v, "modelProvider", c.path("model").path("provider").asText(null));
                put(v, "modelName", c.path("model").path("model").asText(null));
                put(v, "temperature", c.path("model").has("temperature")
                        ? number(c.path("model").path("temperature").asDouble()) : null);
            }
            case HUMAN -> {
                Rubric rubric = Json.mapper().convertValue(c.get("rubric"), Rubric.class);
                put(v, "rubricInstructions", rubric.instructions());
                for (Rubric.Question q : rubric.questions()) {
                    add(v, "q_id", q.id());
                    add(v, "q_text", q.text());
                    add(v, "q_type", q.type().id());
                    add(v, "q_min", q.min() == null ? "" : number(q.min()));
                    add(v, "q_max", q.max() == null ? "" : number(q.max()));
                    add(v, "q_categories", q.categories() == null ? "" : String.join(", ", q.categories()));
                    add(v, "q_instructions", q.instructions() == null ? "" : q.instructions());
                }
            }
        }
        return new EvaluatorForm(v);
    }

    public String value(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() || list.getFirst() == null ? "" : list.getFirst();
    }

    public boolean is(String name, String expected) {
        return value(name).equals(expected);
    }

    public boolean checked(String name) {
        return !value(name).isEmpty();
    }

    /** Rubric rows for the builder, at least one (empty) row. */
    public List<Map<String, String>> questions() {
        List<String> ids = values.getOrDefault("q_id", List.of());
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> row = new HashMap<>();
            for (String field : List.of("id", "text", "type", "min", "max", "categories", "instructions")) {
                List<String> column = values.getOrDefault("q_" + field, List.of());
                row.put(field, i < column.size() && column.get(i) != null ? column.get(i) : "");
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            rows.add(Map.of("id", "correct", "text", "Is the answer correct?", "type", "boolean", "min", "", "max", "",
                    "categories", "", "instructions", ""));
        }
        return rows;
    }

    /** The definition the form describes; bad JSON or numbers are 422s naming the field. */
    public EvaluatorDefinition toDefinition() {
        EvaluatorKind kind = switch (value("kind")) {
            case "llm" -> EvaluatorKind.LLM;
            case "human" -> EvaluatorKind.HUMAN;
            case "code" -> EvaluatorKind.CODE;
            default -> throw ApiException.invalid("kind must be code, llm or human");
        };
        ObjectNode config = Json.mapper().createObjectNode();
        switch (kind) {
            case CODE -> {
                if (is("codeMode", "cel")) {
                    config.put("cel", value("cel"));
                } else {
                    config.put("builtin", value("builtin"));
                    config.set("params", value("params").isBlank() ? Json.mapper().createObjectNode()
                            : json(value("params"), "Parameters"));
                    config.put("negate", checked("negate"));
                }
            }
            case LLM -> {
                if (!value("preset").isBlank()) {
                    config.put("preset", value("preset"));
                }
                if (!value("template").isBlank()) {
                    config.put("template", value("template"));
                }
                ObjectNode model = Json.mapper().createObjectNode();
                if (!value("modelProvider").isBlank()) {
                    model.put("provider", value("modelProvider").strip());
                }
                if (!value("modelName").isBlank()) {
                    model.put("model", value("modelName").strip());
                }
                Double temperature = decimal("temperature", "Temperature");
                if (temperature != null) {
                    model.put("temperature", temperature);
                }
                if (!model.isEmpty()) {
                    config.set("model", model);
                }
            }
            case HUMAN -> config.set("rubric", Json.mapper().valueToTree(rubric()));
        }
        return new EvaluatorDefinition(value("name").isBlank() ? null : value("name").strip(),
                value("description").isBlank() ? null : value("description").strip(), kind, outputType(),
                passRule(), null, config);
    }

    private Rubric rubric() {
        List<Rubric.Question> questions = new ArrayList<>();
        List<Map<String, String>> rows = values.containsKey("q_id") ? questions() : List.of();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            if (row.get("id").isBlank() && row.get("text").isBlank()) {
                continue;
            }
            String label = "Question " + (i + 1);
            ValueType type = switch (row.get("type")) {
                case "number" -> ValueType.NUMBER;
                case "category" -> ValueType.CATEGORY;
                default -> ValueType.BOOLEAN;
            };
            questions.add(new Rubric.Question(row.get("id").strip(), row.get("text").strip(), type,
                    decimalOf(row.get("min"), label + " min"), decimalOf(row.get("max"), label + " max"),
                    type == ValueType.CATEGORY ? list(row.get("categories")) : null,
                    row.get("instructions").isBlank() ? null : row.get("instructions").strip()));
        }
        return new Rubric(value("rubricInstructions").isBlank() ? null : value("rubricInstructions").strip(), questions);
    }

    private OutputType outputType() {
        return switch (value("outType")) {
            case "boolean" -> OutputType.bool();
            case "number" -> OutputType.number(decimal("outMin", "Minimum"), decimal("outMax", "Maximum"));
            case "category" -> new OutputType(ValueType.CATEGORY, null, null, list(value("outCategories")));
            default -> null;
        };
    }

    private PassRule passRule() {
        String type = value("outType");
        if (type.equals("number") && !value("passThreshold").isBlank()) {
            return PassRule.atLeast(decimal("passThreshold", "Pass threshold"));
        }
        if (type.equals("category") && !value("passValues").isBlank()) {
            return new PassRule(PassRule.Op.IN, null, list(value("passValues")));
        }
        return null;
    }

    /** The pasted example of the "try it" panel. */
    public EvalInput toExample() {
        Map<String, Object> input = object("exInput", "Input variables");
        Map<String, Object> metadata = object("exMetadata", "Metadata");
        List<EvalInput.ToolCall> toolCalls = null;
        if (!value("exToolCalls").isBlank()) {
            try {
                toolCalls = Json.mapper().readValue(value("exToolCalls"), new TypeReference<List<EvalInput.ToolCall>>() {
                });
            } catch (JsonProcessingException e) {
                throw ApiException.invalid("Tool calls must be a JSON list like [{\"name\": \"search\", "
                        + "\"arguments\": {...}}]: " + e.getOriginalMessage());
            }
        }
        Double latency = decimal("exLatency", "Latency");
        Double tokens = decimal("exTokens", "Tokens");
        return new EvalInput(optional("exOutput"), optional("exExpected"), input, optional("exContext"), metadata,
                latency == null ? null : latency.longValue(), decimal("exCost", "Cost"),
                tokens == null ? null : tokens.longValue(), toolCalls);
    }

    private String optional(String name) {
        return values.containsKey(name) && !value(name).isEmpty() ? value(name) : null;
    }

    private Map<String, Object> object(String name, String label) {
        if (value(name).isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readValue(value(name), new TypeReference<Map<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(label + " must be a JSON object like {\"question\": \"...\"}: "
                    + e.getOriginalMessage());
        }
    }

    private static JsonNode json(String text, String label) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(label + " must be JSON: " + e.getOriginalMessage());
        }
    }

    private Double decimal(String name, String label) {
        return decimalOf(value(name), label);
    }

    private static Double decimalOf(String raw, String label) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            double v = Double.parseDouble(raw.strip());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(label + " must be a number");
        }
    }

    private static List<String> list(String raw) {
        return Arrays.stream(raw == null ? new String[0] : raw.split("[,\\n]")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static void put(Map<String, List<String>> v, String name, String value) {
        if (value != null) {
            v.put(name, List.of(value));
        }
    }

    private static void add(Map<String, List<String>> v, String name, String value) {
        v.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String pretty(JsonNode node) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }
}
