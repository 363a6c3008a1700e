package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sextant.server.http.Json;
import dev.sextant.server.traces.SpanDraft.MessageField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How span attributes become span fields, as data: OpenTelemetry GenAI (current and older
 * forms), OpenInference and Sextant's own {@code sextant.*} keys. Rules run in table order and the
 * first value found for a field wins, so earlier rows take precedence. Documented in docs/traces.md.
 */
final class AttributeRules {

    /** A key (exact, or a regex under a literal prefix) and the field it fills. */
    record Rule(String prefix, Pattern pattern, Target target) {
        static Rule exact(String key, Target target) {
            return new Rule(key, null, target);
        }

        static Rule pattern(String prefix, String regex, Target target) {
            return new Rule(prefix, Pattern.compile(regex), target);
        }
    }

    /** One mapping of a message attribute suffix to a message field. */
    record MessageRule(Pattern suffix, MessageField field) {
        static MessageRule of(String regex, MessageField field) {
            return new MessageRule(Pattern.compile(regex), field);
        }
    }

    static final List<Rule> RULES = List.of(
            // Kind: our own key, then GenAI's operation, then OpenInference's span kind, then hints.
            Rule.exact("sextant.span.kind", Target.KIND),
            Rule.exact("gen_ai.operation.name", Target.KIND_FROM_OPERATION),
            Rule.exact("openinference.span.kind", Target.KIND_FROM_OPENINFERENCE),
            Rule.exact("gen_ai.tool.name", Target.KIND_TOOL),
            Rule.exact("gen_ai.agent.name", Target.KIND_AGENT),
            // Trace-level facts.
            Rule.exact("sextant.trace.name", Target.TRACE_NAME),
            Rule.exact("sextant.session.id", Target.SESSION),
            Rule.exact("session.id", Target.SESSION),
            Rule.exact("gen_ai.conversation.id", Target.SESSION),
            Rule.exact("sextant.user.id", Target.USER),
            Rule.exact("user.id", Target.USER),
            Rule.exact("enduser.id", Target.USER),
            Rule.exact("sextant.tags", Target.TAGS),
            Rule.exact("tag.tags", Target.TAGS),
            Rule.exact("sextant.metadata", Target.METADATA),
            Rule.exact("metadata", Target.METADATA),
            // Prompt management.
            Rule.exact("sextant.prompt.name", Target.PROMPT_NAME),
            Rule.exact("sextant.prompt.version", Target.PROMPT_VERSION),
            // Model and provider: the response model is the most precise name.
            Rule.exact("gen_ai.response.model", Target.MODEL),
            Rule.exact("gen_ai.request.model", Target.MODEL),
            Rule.exact("llm.model_name", Target.MODEL),
            Rule.exact("embedding.model_name", Target.MODEL),
            Rule.exact("gen_ai.provider.name", Target.PROVIDER),
            Rule.exact("gen_ai.system", Target.PROVIDER),
            Rule.exact("llm.provider", Target.PROVIDER),
            Rule.exact("llm.system", Target.PROVIDER),
            // Request parameters.
            Rule.pattern("gen_ai.request.", "gen_ai\\.request\\.(?!model$)(.+)", Target.PARAM),
            Rule.exact("llm.invocation_parameters", Target.PARAMS_JSON),
            // Usage.
            Rule.exact("gen_ai.usage.input_tokens", Target.INPUT_TOKENS),
            Rule.exact("gen_ai.usage.prompt_tokens", Target.INPUT_TOKENS),
            Rule.exact("llm.token_count.prompt", Target.INPUT_TOKENS),
            Rule.exact("gen_ai.usage.output_tokens", Target.OUTPUT_TOKENS),
            Rule.exact("gen_ai.usage.completion_tokens", Target.OUTPUT_TOKENS),
            Rule.exact("llm.token_count.completion", Target.OUTPUT_TOKENS),
            Rule.exact("gen_ai.usage.cache_read.input_tokens", Target.CACHED_TOKENS),
            Rule.exact("gen_ai.usage.cache_read_input_tokens", Target.CACHED_TOKENS),
            Rule.exact("llm.token_count.prompt_details.cache_read", Target.CACHED_TOKENS),
            Rule.exact("gen_ai.usage.reasoning.output_tokens", Target.REASONING_TOKENS),
            Rule.exact("gen_ai.usage.reasoning_tokens", Target.REASONING_TOKENS),
            Rule.exact("llm.token_count.completion_details.reasoning", Target.REASONING_TOKENS),
            Rule.exact("sextant.cost", Target.COST),
            Rule.exact("gen_ai.usage.cost", Target.COST),
            Rule.exact("llm.cost.total", Target.COST),
            // Content: structured GenAI messages, then indexed forms, then plain values.
            Rule.exact("gen_ai.input.messages", Target.INPUT_MESSAGES),
            Rule.exact("gen_ai.output.messages", Target.OUTPUT_MESSAGES),
            Rule.exact("gen_ai.system_instructions", Target.SYSTEM_INSTRUCTIONS),
            Rule.pattern("llm.input_messages.", "llm\\.input_messages\\.(\\d+)\\.message\\.(.+)", Target.INPUT_MESSAGE),
            Rule.pattern("llm.output_messages.", "llm\\.output_messages\\.(\\d+)\\.message\\.(.+)", Target.OUTPUT_MESSAGE),
            Rule.pattern("gen_ai.prompt.", "gen_ai\\.prompt\\.(\\d+)\\.(.+)", Target.INPUT_MESSAGE),
            Rule.pattern("gen_ai.completion.", "gen_ai\\.completion\\.(\\d+)\\.(.+)", Target.OUTPUT_MESSAGE),
            Rule.exact("gen_ai.tool.call.arguments", Target.INPUT_VALUE),
            Rule.exact("gen_ai.tool.call.result", Target.OUTPUT_VALUE),
            Rule.exact("input.value", Target.INPUT_VALUE),
            Rule.exact("output.value", Target.OUTPUT_VALUE),
            Rule.exact("sextant.input", Target.INPUT_VALUE),
            Rule.exact("sextant.output", Target.OUTPUT_VALUE),
            // Errors (the span status comes first; see OtlpMapper).
            Rule.exact("error.type", Target.ERROR));

    /** Suffixes of one indexed message ({@code role}, {@code content}, {@code tool_calls.M....}). */
    static final List<MessageRule> MESSAGE_RULES = List.of(
            MessageRule.of("role", MessageField.ROLE),
            MessageRule.of("content", MessageField.TEXT),
            MessageRule.of("contents\\.\\d+\\.message_content\\.text", MessageField.TEXT),
            MessageRule.of("tool_call_id", MessageField.TOOL_RESULT_ID),
            MessageRule.of("finish_reason", MessageField.FINISH),
            MessageRule.of("tool_calls\\.(\\d+)\\.tool_call\\.id", MessageField.TOOL_ID),
            MessageRule.of("tool_calls\\.(\\d+)\\.tool_call\\.function\\.name", MessageField.TOOL_NAME),
            MessageRule.of("tool_calls\\.(\\d+)\\.tool_call\\.function\\.arguments", MessageField.TOOL_ARGUMENTS),
            MessageRule.of("tool_calls\\.(\\d+)\\.id", MessageField.TOOL_ID),
            MessageRule.of("tool_calls\\.(\\d+)\\.name", MessageField.TOOL_NAME),
            MessageRule.of("tool_calls\\.(\\d+)\\.arguments", MessageField.TOOL_ARGUMENTS));

    /** GenAI {@code gen_ai.operation.name} values. */
    static final Map<String, SpanKind> OPERATIONS = Map.of(
            "chat", SpanKind.LLM, "generate_content", SpanKind.LLM, "text_completion", SpanKind.LLM,
            "embeddings", SpanKind.EMBEDDING, "execute_tool", SpanKind.TOOL, "invoke_agent", SpanKind.AGENT,
            "create_agent", SpanKind.AGENT);

    /** OpenInference {@code openinference.span.kind} values. */
    static final Map<String, SpanKind> OPENINFERENCE_KINDS = Map.ofEntries(
            Map.entry("LLM", SpanKind.LLM), Map.entry("EMBEDDING", SpanKind.EMBEDDING),
            Map.entry("CHAIN", SpanKind.CHAIN), Map.entry("RETRIEVER", SpanKind.RETRIEVAL),
            Map.entry("RERANKER", SpanKind.RETRIEVAL), Map.entry("TOOL", SpanKind.TOOL),
            Map.entry("AGENT", SpanKind.AGENT), Map.entry("GUARDRAIL", SpanKind.GUARDRAIL),
            Map.entry("EVALUATOR", SpanKind.EVALUATOR), Map.entry("PROMPT", SpanKind.CHAIN),
            Map.entry("UNKNOWN", SpanKind.OTHER));

    /** Where a value goes and how it is converted. */
    enum Target {
        KIND {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.kind(SpanKind.parse(text(v)));
            }
        },
        KIND_FROM_OPERATION {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.kind(OPERATIONS.get(text(v).toLowerCase(Locale.ROOT)));
            }
        },
        KIND_FROM_OPENINFERENCE {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.kind(OPENINFERENCE_KINDS.get(text(v).toUpperCase(Locale.ROOT)));
            }
        },
        KIND_TOOL {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.kind(SpanKind.TOOL);
            }
        },
        KIND_AGENT {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.kind(SpanKind.AGENT);
            }
        },
        TRACE_NAME {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.traceName = SpanDraft.first(d.traceName, text(v));
            }
        },
        SESSION {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.sessionId = SpanDraft.first(d.sessionId, text(v));
            }
        },
        USER {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.userId = SpanDraft.first(d.userId, text(v));
            }
        },
        TAGS {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.tags = SpanDraft.first(d.tags, tags(v));
            }
        },
        METADATA {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.metadata = SpanDraft.first(d.metadata, json(v));
            }
        },
        PROMPT_NAME {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.promptName = SpanDraft.first(d.promptName, text(v));
            }
        },
        PROMPT_VERSION {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                Long version = number(v);
                d.promptVersion = SpanDraft.first(d.promptVersion, version == null ? null : version.intValue());
            }
        },
        MODEL {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.model = SpanDraft.first(d.model, text(v));
            }
        },
        PROVIDER {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.provider = SpanDraft.first(d.provider, text(v).toLowerCase(Locale.ROOT));
            }
        },
        PARAM {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                if (!d.params.has(m.group(1))) {
                    d.params.set(m.group(1), Json.mapper().valueToTree(v));
                }
            }
        },
        PARAMS_JSON {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                JsonNode params = json(v);
                if (params.isObject()) {
                    params.properties().forEach(e -> {
                        if (!d.params.has(e.getKey())) {
                            d.params.set(e.getKey(), e.getValue());
                        }
                    });
                }
            }
        },
        INPUT_TOKENS {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.inputTokens = SpanDraft.first(d.inputTokens, number(v));
            }
        },
        OUTPUT_TOKENS {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.outputTokens = SpanDraft.first(d.outputTokens, number(v));
            }
        },
        CACHED_TOKENS {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.cachedTokens = SpanDraft.first(d.cachedTokens, number(v));
            }
        },
        REASONING_TOKENS {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.reasoningTokens = SpanDraft.first(d.reasoningTokens, number(v));
            }
        },
        COST {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.cost = SpanDraft.first(d.cost, decimal(v));
            }
        },
        INPUT_MESSAGES {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.inputMessages = SpanDraft.first(d.inputMessages, json(v));
                d.consumed.add(m.group());
            }
        },
        OUTPUT_MESSAGES {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.outputMessages = SpanDraft.first(d.outputMessages, json(v));
                d.consumed.add(m.group());
            }
        },
        SYSTEM_INSTRUCTIONS {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.systemInstructions = SpanDraft.first(d.systemInstructions, json(v));
                d.consumed.add(m.group());
            }
        },
        INPUT_MESSAGE {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                if (message(d.indexedInput, m, v)) {
                    d.consumed.add(m.group());
                }
            }
        },
        OUTPUT_MESSAGE {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                if (message(d.indexedOutput, m, v)) {
                    d.consumed.add(m.group());
                }
            }
        },
        INPUT_VALUE {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.inputValue = SpanDraft.first(d.inputValue, json(v));
                d.consumed.add(m.group());
            }
        },
        OUTPUT_VALUE {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.outputValue = SpanDraft.first(d.outputValue, json(v));
                d.consumed.add(m.group());
            }
        },
        ERROR {
            @Override
            void apply(SpanDraft d, Matcher m, Object v) {
                d.error = SpanDraft.first(d.error, text(v));
            }
        };

        abstract void apply(SpanDraft draft, Matcher match, Object value);
    }

    private AttributeRules() {
    }

    /** Applies every rule to {@code attributes} (values: String, Long, Double, Boolean, List, Map). */
    static void apply(Map<String, Object> attributes, SpanDraft draft) {
        for (Rule rule : RULES) {
            if (rule.pattern() == null) {
                Object value = attributes.get(rule.prefix());
                if (value != null) {
                    Matcher m = EXACT.matcher(rule.prefix());
                    m.matches();
                    rule.target().apply(draft, m, value);
                }
                continue;
            }
            for (Map.Entry<String, Object> e : attributes.entrySet()) {
                if (e.getKey().startsWith(rule.prefix())) {
                    Matcher m = rule.pattern().matcher(e.getKey());
                    if (m.matches()) {
                        rule.target().apply(draft, m, e.getValue());
                    }
                }
            }
        }
    }

    /** Matches anything: gives exact rules a Matcher whose group() is the key. */
    private static final Pattern EXACT = Pattern.compile(".+", Pattern.DOTALL);

    private static boolean message(SpanDraft.IndexedMessages messages, Matcher m, Object v) {
        int index = Integer.parseInt(m.group(1).length() > 6 ? "999999" : m.group(1));
        for (MessageRule rule : MESSAGE_RULES) {
            Matcher suffix = rule.suffix().matcher(m.group(2));
            if (suffix.matches()) {
                Integer sub = suffix.groupCount() > 0 ? Integer.valueOf(suffix.group(1).length() > 6 ? "999999"
                        : suffix.group(1)) : null;
                messages.set(index, rule.field(), sub, text(v));
                return true;
            }
        }
        return false;
    }

    static String text(Object v) {
        if (v == null) {
            return "";
        }
        return v instanceof String s ? s : Json.write(v);
    }

    static Long number(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return v == null ? null : Long.valueOf(text(v).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Double decimal(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return v == null ? null : Double.valueOf(text(v).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A JSON value: strings that hold JSON objects or arrays are parsed, other strings stay text. */
    static JsonNode json(Object v) {
        if (v instanceof String s) {
            String t = s.trim();
            if (t.startsWith("{") || t.startsWith("[")) {
                try {
                    return Json.mapper().readTree(t);
                } catch (Exception e) {
                    return TextNode.valueOf(s);
                }
            }
            return TextNode.valueOf(s);
        }
        return Json.mapper().valueToTree(v);
    }

    static List<String> tags(Object v) {
        List<String> tags = new ArrayList<>();
        if (v instanceof List<?> list) {
            list.forEach(t -> tags.add(text(t)));
        } else {
            JsonNode node = json(v);
            if (node.isArray()) {
                node.forEach(t -> tags.add(t.asText()));
            } else {
                for (String t : text(v).split(",")) {
                    if (!t.isBlank()) {
                        tags.add(t.trim());
                    }
                }
            }
        }
        return tags;
    }
}
