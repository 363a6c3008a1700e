package dev.sextant.sdk;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The Sextant client: tracing on OpenTelemetry (its own tracer provider, so it works beside an
 * application's own OpenTelemetry setup), cached prompts, end-user feedback, datasets and
 * experiments. Create one per application and close it on shutdown (flushes pending spans).
 *
 * <pre>{@code
 * try (Sextant sextant = Sextant.fromEnv();
 *      SextantSpan turn = sextant.trace("answer question").userId("u-42")) {
 *     Prompt prompt = sextant.prompts().get("support/answer");
 *     try (LlmSpan llm = sextant.llm("chat").model("openai", "gpt-4o-mini").prompt(prompt)) {
 *         llm.inputMessages(prompt.render(Map.of("question", q)));
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class Sextant implements AutoCloseable {
    public static final String INSTRUMENTATION_NAME = "dev.sextant.sdk";
    /**
     * Set in the context while an experiment task runs: receives the id of the first trace the task
     * starts, with this client or any other (a context key, so it works across instances).
     */
    private static final ContextKey<String[]> TRACE_CAPTURE = ContextKey.named("sextant-trace-capture");
    /** The prompt that LLM spans started in a {@link #usingPrompt(Prompt)} scope are linked to. */
    private static final ContextKey<Prompt> CURRENT_PROMPT = ContextKey.named("sextant-current-prompt");

    private final SdkTracerProvider tracerProvider;
    private final BoundedBatchProcessor processor;
    private final Tracer tracer;
    private final Prompts prompts;
    private final Feedback feedback;
    private final Datasets datasets;
    private final Experiments experiments;
    private final boolean captureContent;

    private Sextant(Builder builder) {
        SpanExporter exporter = builder.exporter != null ? builder.exporter : OtlpHttpSpanExporter.builder()
                .setEndpoint(builder.url + "/v1/traces")
                .addHeader("Authorization", "Bearer " + builder.apiKey)
                .setTimeout(builder.exportTimeout)
                .build();
        this.processor = new BoundedBatchProcessor(exporter, builder.maxQueueSize, builder.maxExportBatchSize,
                builder.scheduleDelay, builder.exportTimeout);
        this.tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), builder.serviceName))))
                .addSpanProcessor(processor)
                .build();
        this.tracer = tracerProvider.get(INSTRUMENTATION_NAME);
        this.prompts = new Prompts(builder.url, builder.apiKey, builder.promptCacheTtl, builder.requestTimeout);
        this.captureContent = builder.captureContent;
        ApiClient api = new ApiClient(builder.url, builder.apiKey, builder.requestTimeout);
        this.feedback = new Feedback(api);
        this.datasets = new Datasets(api);
        this.experiments = new Experiments(api, this);
    }

    /** From {@code SEXTANT_URL} and {@code SEXTANT_API_KEY}. */
    public static Sextant fromEnv() {
        return builder().url(envOr("SEXTANT_URL", "http://localhost:7070")).apiKey(envOr("SEXTANT_API_KEY", ""))
                .serviceName(envOr("OTEL_SERVICE_NAME", "app")).build();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a new trace (a root span, whatever is current). */
    public SextantSpan trace(String name) {
        Span span = tracer.spanBuilder(name).setNoParent().setAttribute(dev.sextant.sdk.Attributes.SPAN_KIND, "chain")
                .setAttribute(dev.sextant.sdk.Attributes.TRACE_NAME, name).startSpan();
        String[] capture = Context.current().get(TRACE_CAPTURE);
        if (capture != null && capture[0] == null) {
            capture[0] = span.getSpanContext().getTraceId();
        }
        return new SextantSpan(span, captureContent);
    }

    /** Runs {@code task}, putting into {@code slot[0]} the id of the first trace it starts on this thread. */
    static <T> T capturingTrace(String[] slot, java.util.function.Supplier<T> task) {
        try (Scope ignored = Context.current().with(TRACE_CAPTURE, slot).makeCurrent()) {
            return task.get();
        }
    }

    /** A span under the current one. */
    public SextantSpan span(String name, SpanKind kind) {
        return new SextantSpan(start(name, kind), captureContent);
    }

    /** An LLM call under the current span. */
    public LlmSpan llm(String name) {
        return new LlmSpan(start(name, SpanKind.LLM), captureContent, true).prompt(Context.current().get(CURRENT_PROMPT));
    }

    /**
     * An LLM call under the current span that is <em>not</em> made current: for listeners whose
     * start and end callbacks may run on different threads (streaming).
     */
    public LlmSpan startLlm(String name) {
        return new LlmSpan(start(name, SpanKind.LLM), captureContent, false).prompt(Context.current().get(CURRENT_PROMPT));
    }

    /**
     * Links every LLM span started in the returned scope (on this thread) to {@code prompt}: for
     * calls recorded by a framework listener, which cannot know the prompt.
     * {@code try (Scope ignored = sextant.usingPrompt(prompt)) { aiService.chat(...); }}
     */
    public Scope usingPrompt(Prompt prompt) {
        return Context.current().with(CURRENT_PROMPT, prompt).makeCurrent();
    }

    /** A tool execution under the current span. */
    public ToolSpan tool(String toolName) {
        return new ToolSpan(start("execute_tool " + toolName, SpanKind.TOOL), captureContent, toolName);
    }

    private Span start(String name, SpanKind kind) {
        return tracer.spanBuilder(name).setParent(Context.current())
                .setSpanKind(kind == SpanKind.LLM ? io.opentelemetry.api.trace.SpanKind.CLIENT
                        : io.opentelemetry.api.trace.SpanKind.INTERNAL)
                .setAttribute(dev.sextant.sdk.Attributes.SPAN_KIND, kind.id()).startSpan();
    }

    public Prompts prompts() {
        return prompts;
    }

    /** End-user feedback: fire-and-forget, never throws. */
    public Feedback feedback() {
        return feedback;
    }

    /** Reads datasets; throws {@link SextantException} on failure. */
    public Datasets datasets() {
        return datasets;
    }

    /** Runs your code over a dataset and returns the evaluators' scorecard; throws on failure. */
    public Experiments experiments() {
        return experiments;
    }

    /** Spans dropped because the export queue was full (the application was never blocked). */
    public long droppedSpans() {
        return processor.droppedSpans();
    }

    /** Spans the server failed to accept (unreachable or rejected). */
    public long failedSpans() {
        return processor.failedSpans();
    }

    public long exportedSpans() {
        return processor.exportedSpans();
    }

    /** Exports everything ended so far; blocks up to the export timeout. */
    public void flush() {
        processor.forceFlush();
    }

    @Override
    public void close() {
        prompts.close();
        tracerProvider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
        // After the spans: queued feedback refers to traces the server must have first.
        feedback.close();
    }

    /** Settings with sensible defaults; only the URL and API key are usually needed. */
    public static final class Builder {
        private String url = "http://localhost:7070";
        private String apiKey = "";
        private String serviceName = "app";
        private boolean captureContent = true;
        private int maxQueueSize = 2048;
        private int maxExportBatchSize = 512;
        private Duration scheduleDelay = Duration.ofSeconds(1);
        private Duration exportTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(3);
        private Duration promptCacheTtl = Duration.ofSeconds(60);
        private SpanExporter exporter;

        public Builder url(String url) {
            this.url = Objects.requireNonNull(url).replaceAll("/+$", "");
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey);
            return this;
        }

        public Builder serviceName(String serviceName) {
            this.serviceName = Objects.requireNonNull(serviceName);
            return this;
        }

        /** Off: no inputs, outputs or messages are recorded (only timing, model, usage). */
        public Builder captureContent(boolean captureContent) {
            this.captureContent = captureContent;
            return this;
        }

        public Builder maxQueueSize(int size) {
            this.maxQueueSize = size;
            return this;
        }

        public Builder maxExportBatchSize(int size) {
            this.maxExportBatchSize = size;
            return this;
        }

        public Builder scheduleDelay(Duration delay) {
            this.scheduleDelay = delay;
            return this;
        }

        public Builder exportTimeout(Duration timeout) {
            this.exportTimeout = timeout;
            return this;
        }

        /** Timeout for prompt fetches and other API calls (feedback, datasets, experiments). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder promptCacheTtl(Duration ttl) {
            this.promptCacheTtl = ttl;
            return this;
        }

        /** Replaces the OTLP exporter (tests, or sending to a collector as well). */
        public Builder exporter(SpanExporter exporter) {
            this.exporter = exporter;
            return this;
        }

        public Sextant build() {
            return new Sextant(this);
        }
    }

    /** Convenience for {@code Map.of}-style variables. */
    public static Map<String, Object> vars(Object... keyValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            map.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return map;
    }
}
