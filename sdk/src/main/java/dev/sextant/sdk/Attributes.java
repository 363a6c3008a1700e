package dev.sextant.sdk;

/** Attribute names the SDK writes: OpenTelemetry GenAI conventions plus Sextant's own. */
final class Attributes {
    static final String SPAN_KIND = "sextant.span.kind";
    static final String TRACE_NAME = "sextant.trace.name";
    static final String SESSION_ID = "sextant.session.id";
    static final String USER_ID = "sextant.user.id";
    static final String TAGS = "sextant.tags";
    static final String METADATA = "sextant.metadata";
    static final String INPUT = "sextant.input";
    static final String OUTPUT = "sextant.output";
    static final String PROMPT_NAME = "sextant.prompt.name";
    static final String PROMPT_VERSION = "sextant.prompt.version";
    static final String COST = "sextant.cost";

    static final String OPERATION = "gen_ai.operation.name";
    static final String PROVIDER = "gen_ai.provider.name";
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String RESPONSE_MODEL = "gen_ai.response.model";
    static final String TEMPERATURE = "gen_ai.request.temperature";
    static final String MAX_TOKENS = "gen_ai.request.max_tokens";
    static final String INPUT_MESSAGES = "gen_ai.input.messages";
    static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
    static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    static final String CACHED_TOKENS = "gen_ai.usage.cache_read.input_tokens";
    static final String FINISH_REASONS = "gen_ai.response.finish_reasons";
    static final String TOOL_NAME = "gen_ai.tool.name";
    static final String TOOL_CALL_ID = "gen_ai.tool.call.id";
    static final String TOOL_ARGUMENTS = "gen_ai.tool.call.arguments";
    static final String TOOL_RESULT = "gen_ai.tool.call.result";
    static final String ERROR_TYPE = "error.type";

    private Attributes() {
    }
}
