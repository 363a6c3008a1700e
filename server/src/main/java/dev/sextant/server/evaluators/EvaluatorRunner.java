package dev.sextant.server.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles evaluator definitions (validating them and filling defaults) and runs them on examples.
 * Running never throws: whatever goes wrong becomes an error judgment.
 */
public final class EvaluatorRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorRunner.class);

    private final Builtins builtins;
    private final CelSandbox cel;
    private final JudgePresets presets;
    private final LlmJudge llm;
    private final PairwiseJudge pairwise;
    // Experiments run one evaluator over many items: compile each code config (CEL program, JSON
    // schema, regex) once. Keyed by the normalized config; compiled checks are immutable.
    private final Map<String, CompiledCode> compiled = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompiledCode> eldest) {
                    return size() > 256;
                }
            });

    private record CompiledCode(CodeCheck check, boolean negate) {
    }

    public EvaluatorRunner(JudgeModel judgeModel) {
        this.builtins = new Builtins(new Embeddings());
        this.cel = new CelSandbox();
        this.presets = new JudgePresets();
        this.llm = new LlmJudge(judgeModel);
        this.pairwise = new PairwiseJudge(judgeModel);
    }

    public List<JudgePreset> presets() {
        return presets.all();
    }

    public PairwiseJudge pairwise() {
        return pairwise;
    }

    /** Built-in code evaluators for docs and the UI: name, summary, output type, example params. */
    public List<BuiltinInfo> builtins() {
        return builtins.all().stream().map(b -> new BuiltinInfo(b.name(), b.summary(), b.output(), b.reads(),
                b.exampleParams())).toList();
    }

    public record BuiltinInfo(String name, String summary, ValueType output, List<Field> reads, String exampleParams) {
    }

    /**
     * Validates the kind's config and fills {@code outputType}, {@code passRule} and {@code reads}
     * when omitted. Throws {@link IllegalArgumentException} naming the first problem.
     */
    EvaluatorDefinition prepare(EvaluatorDefinition def) {
        if (def.kind() == null) {
            throw new IllegalArgumentException("kind must be code, llm or human");
        }
        if (def.config() == null || !def.config().isObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        return switch (def.kind()) {
            case CODE -> prepareCode(def);
            case LLM -> prepareLlm(def);
            case HUMAN -> prepareHuman(def);
        };
    }

    private EvaluatorDefinition prepareCode(EvaluatorDefinition def) {
        JsonNode config = def.config();
        boolean hasBuiltin = config.hasNonNull("builtin");
        boolean hasCel = config.hasNonNull("cel");
        if (hasBuiltin == hasCel) {
            throw new IllegalArgumentException("a code evaluator's config needs exactly one of \"builtin\" "
                    + "(a built-in name) or \"cel\" (a CEL expression)");
        }
        if (hasCel) {
            if (!config.get("cel").isTextual()) {
                throw new IllegalArgumentException("config.cel must be a string");
            }
            String expression = config.get("cel").textValue();
            cel.compile(expression);
            ObjectNode normalized = Json.mapper().createObjectNode().put("cel", expression);
            OutputType type = def.outputType() != null ? def.outputType() : OutputType.bool();
            return finish(def, normalized, type, def.passRule(), celReads(expression));
        }
        if (!config.get("builtin").isTextual()) {
            throw new IllegalArgumentException("config.builtin must be a string");
        }
        String name = config.get("builtin").textValue();
        boolean negate = config.path("negate").asBoolean(false);
        if (name.startsWith("not-")) {
            name = name.substring(4);
            negate = !negate;
        }
        Builtin builtin = builtins.find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown built-in '" + config.get("builtin").textValue() + "'; available: "
                        + builtins.all().stream().map(Builtin::name).toList()));
        JsonNode params = config.get("params");
        Params p = new Params(params);
        builtin.factory().apply(p);
        ObjectNode normalized = Json.mapper().createObjectNode().put("builtin", name);
        normalized.set("params", params == null || params.isNull() ? Json.mapper().createObjectNode() : params);
        normalized.put("negate", negate);
        OutputType type = builtin.output() == ValueType.BOOLEAN ? OutputType.bool() : OutputType.number(0.0, 1.0);
        if (def.outputType() != null && def.outputType().type() != type.type()) {
            throw new IllegalArgumentException("built-in '" + name + "' returns a " + type.type().id()
                    + ", not a " + def.outputType().type().id());
        }
        PassRule rule = def.passRule();
        if (rule == null && type.type() == ValueType.NUMBER) {
            rule = PassRule.atLeast(p.number("threshold", builtin.defaultThreshold()));
        }
        return finish(def, normalized, type, rule, builtin.reads());
    }

    private EvaluatorDefinition prepareLlm(EvaluatorDefinition def) {
        JsonNode config = def.config();
        ObjectNode normalized = Json.mapper().createObjectNode();
        String template = config.path("template").isTextual() ? config.get("template").textValue() : null;
        if (config.hasNonNull("preset")) {
            String id = config.get("preset").asText();
            JudgePreset preset = presets.find(id).orElseThrow(() -> new IllegalArgumentException(
                    "unknown judge preset '" + id + "'; available: " + presets.all().stream().map(JudgePreset::id).toList()));
            normalized.put("preset", preset.id());
            if (template == null || template.isBlank()) {
                // The preset's text is copied into the version, so later preset edits never change it.
                template = preset.template();
            }
        }
        Set<Field> fields = LlmJudge.fieldsOf(template, Set.of());
        normalized.put("template", template);
        if (config.hasNonNull("model")) {
            JudgeModel.ModelConfig model = modelConfig(config.get("model"));
            normalized.set("model", Json.mapper().valueToTree(model));
        }
        OutputType type = def.outputType() != null ? def.outputType() : OutputType.bool();
        return finish(def, normalized, type, def.passRule(), List.copyOf(fields));
    }

    private EvaluatorDefinition prepareHuman(EvaluatorDefinition def) {
        JsonNode rubricNode = def.config().get("rubric");
        if (rubricNode == null || !rubricNode.isObject()) {
            throw new IllegalArgumentException("a human evaluator's config needs a \"rubric\" object");
        }
        Rubric rubric;
        try {
            rubric = Json.mapper().treeToValue(rubricNode, Rubric.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("config.rubric is invalid: " + e.getOriginalMessage());
        }
        rubric.validate();
        ObjectNode normalized = Json.mapper().createObjectNode();
        normalized.set("rubric", Json.mapper().valueToTree(rubric));
        OutputType first = rubric.questions().getFirst().outputType();
        if (def.outputType() != null && !def.outputType().equals(first)) {
            throw new IllegalArgumentException("a human evaluator's output type is its first question's type");
        }
        List<Field> reads = def.reads() != null ? def.reads()
                : List.of(Field.INPUT, Field.OUTPUT, Field.EXPECTED, Field.CONTEXT);
        return finish(def, normalized, first, def.passRule(), reads);
    }

    private static EvaluatorDefinition finish(EvaluatorDefinition def, JsonNode config, OutputType type,
                                              PassRule rule, List<Field> derivedReads) {
        EvaluatorService.validateOutputType(type, "outputType");
        PassRule passRule = rule != null ? rule : defaultRule(type);
        EvaluatorService.validatePassRule(passRule, type);
        List<Field> reads = def.reads() != null && !def.reads().isEmpty()
                ? List.copyOf(new LinkedHashSet<>(def.reads())) : List.copyOf(derivedReads);
        return new EvaluatorDefinition(def.name(), def.description(), def.kind(), type, passRule, reads, config);
    }

    private static PassRule defaultRule(OutputType type) {
        return switch (type.type()) {
            case BOOLEAN -> PassRule.isTrue();
            case NUMBER -> {
                if (type.max() != null && type.min() != null) {
                    yield PassRule.atLeast(type.min() + (type.max() - type.min()) / 2);
                }
                throw new IllegalArgumentException("passRule is required for a number output without a range");
            }
            case CATEGORY -> throw new IllegalArgumentException(
                    "passRule is required for a category output: {\"op\": \"in\", \"values\": [...]}");
        };
    }

    private static List<Field> celReads(String expression) {
        List<Field> reads = new ArrayList<>();
        for (Field field : Field.values()) {
            String variable = switch (field) {
                case LATENCY -> "latencyMs";
                default -> field.id();
            };
            if (Pattern.compile("\\b" + variable + "\\b").matcher(expression).find()) {
                reads.add(field);
            }
        }
        return reads.isEmpty() ? List.of(Field.OUTPUT) : reads;
    }

    static JudgeModel.ModelConfig modelConfig(JsonNode node) {
        if (node == null || node.isNull()) {
            return new JudgeModel.ModelConfig(null, null, 0.0, null);
        }
        try {
            JudgeModel.ModelConfig config = Json.mapper().treeToValue(node, JudgeModel.ModelConfig.class);
            if (config.temperature() != null && (config.temperature() < 0 || config.temperature() > 2)) {
                throw new IllegalArgumentException("config.model.temperature must be between 0 and 2");
            }
            if (config.maxTokens() != null && (config.maxTokens() < 1 || config.maxTokens() > 32_000)) {
                throw new IllegalArgumentException("config.model.maxTokens must be between 1 and 32000");
            }
            return config.temperature() == null
                    ? new JudgeModel.ModelConfig(config.provider(), config.model(), 0.0, config.maxTokens()) : config;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("config.model is invalid: " + e.getOriginalMessage());
        }
    }

    /** Runs a prepared definition on one example. Never throws. */
    public Judgment run(String projectId, EvaluatorDefinition def, EvalInput input) {
        try {
            return switch (def.kind()) {
                case CODE -> runCode(def, input);
                case LLM -> llm.judge(projectId, def.name() == null ? "judge" : "judge: " + def.name(),
                        def.config().path("template").asText(), def.outputType(),
                        def.passRule(), modelConfig(def.config().get("model")), input);
                case HUMAN -> Judgment.error("human evaluators are answered by people with the rubric form");
            };
        } catch (EvaluationException | IllegalArgumentException e) {
            return Judgment.error(e.getMessage());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            LOG.warn("evaluator '{}' failed unexpectedly", def.name(), e);
            return Judgment.error("the evaluator failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The judgment a person gave by filling in a human evaluator's rubric form: the first
     * question's answer is the value, the rest (and the notes) make up the reason.
     */
    public Judgment judgeRubric(EvaluatorDefinition def, Map<String, List<String>> form) {
        if (def.kind() != EvaluatorKind.HUMAN) {
            return Judgment.error("only human evaluators have a rubric");
        }
        Rubric rubric = Json.mapper().convertValue(def.config().get("rubric"), Rubric.class);
        try {
            Map<String, JudgmentValue> answers = rubric.answers(form);
            JudgmentValue first = answers.values().iterator().next();
            StringBuilder reason = new StringBuilder();
            answers.forEach((id, value) -> reason.append(reason.isEmpty() ? "" : "; ").append(id).append(": ")
                    .append(Json.write(value)));
            List<String> notes = form.get("notes");
            if (notes != null && !notes.isEmpty() && notes.getFirst() != null && !notes.getFirst().isBlank()) {
                reason.append(" — ").append(notes.getFirst().strip());
            }
            return Judgment.of(first, def.passRule().passes(first), reason.toString());
        } catch (IllegalArgumentException e) {
            return Judgment.error("incomplete rubric: " + e.getMessage());
        }
    }

    private CompiledCode compile(JsonNode config) {
        String key = config.toString();
        CompiledCode code = compiled.get(key);
        if (code == null) {
            if (config.hasNonNull("cel")) {
                code = new CompiledCode(cel.compile(config.get("cel").textValue()), false);
            } else {
                Builtin builtin = builtins.find(config.path("builtin").asText())
                        .orElseThrow(() -> new EvaluationException("unknown built-in " + config.path("builtin")));
                code = new CompiledCode(builtin.factory().apply(new Params(config.get("params"))),
                        config.path("negate").asBoolean(false));
            }
            compiled.put(key, code);
        }
        return code;
    }

    private Judgment runCode(EvaluatorDefinition def, EvalInput input) {
        CompiledCode code = compile(def.config());
        boolean negate = code.negate();
        CodeCheck.Result result = code.check().check(input);
        JudgmentValue value = result.value();
        String reason = result.reason();
        if (negate && value instanceof JudgmentValue.Bool b) {
            value = JudgmentValue.of(!b.value());
            reason = "negated: " + reason;
        }
        String mismatch = def.outputType().mismatch(value);
        if (mismatch != null) {
            return Judgment.error("the evaluator returned an invalid value: " + mismatch);
        }
        boolean passed = def.passRule().passes(value);
        if (negate && value instanceof JudgmentValue.Num) {
            passed = !passed;
            reason = "negated: " + reason;
        }
        return Judgment.of(value, passed, reason);
    }
}
