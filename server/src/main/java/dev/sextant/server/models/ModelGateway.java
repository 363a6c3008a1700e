package dev.sextant.server.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.sextant.server.db.Ids;
import dev.sextant.server.models.ProviderHttpClient.ProviderHttpException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way Sextant calls models: resolves the project's provider, calls it through langchain4j
 * with a timeout, a per-provider concurrency limit and retries (exponential backoff with jitter on
 * 429/5xx, honouring Retry-After), computes usage and cost, and hands every finished call to the
 * {@link GatewayCallRecorder}. Both variants block the calling (virtual) thread.
 */
public final class ModelGateway {
    private static final Logger LOG = LoggerFactory.getLogger(ModelGateway.class);

    /** Timeout per provider request, concurrent requests per project and provider, retry policy. */
    public record Settings(Duration timeout, int maxConcurrency, RetryPolicy retry) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(60), 8, RetryPolicy.DEFAULT);
    }

    private final ProviderResolver providers;
    private final ModelPricing pricing;
    private final GatewayCallRecorder recorder;
    private final Settings settings;
    private final RetryPolicy.Sleeper sleeper;
    private final Clock clock;
    private final ProviderClients clients;
    private final Map<String, Semaphore> limits = new ConcurrentHashMap<>();

    public ModelGateway(ProviderResolver providers, ModelPricing pricing, GatewayCallRecorder recorder,
                        Settings settings, RetryPolicy.Sleeper sleeper, Clock clock) {
        this.providers = providers;
        this.pricing = pricing;
        this.recorder = recorder;
        this.settings = settings;
        this.sleeper = sleeper;
        this.clock = clock;
        this.clients = new ProviderClients(settings.timeout());
    }

    public ChatResult chat(String projectId, ChatRequest request) {
        return call(projectId, request, null);
    }

    /** Streams text deltas to {@code onToken} as they arrive and returns the complete result. */
    public ChatResult chatStreaming(String projectId, ChatRequest request, Consumer<String> onToken) {
        return call(projectId, request, onToken);
    }

    private ChatResult call(String projectId, ChatRequest request, Consumer<String> onToken) {
        Instant startedAt = clock.instant();
        long started = System.nanoTime();
        int[] attempts = {0};
        String providerName = request.model() == null ? null : request.model().provider();
        String modelName = request.model() == null ? null : request.model().name();
        try {
            if (providerName == null || providerName.isBlank()) {
                throw GatewayException.badInput("model.provider is required");
            }
            ProviderEndpoint endpoint = providers.resolve(projectId, providerName)
                    .orElseThrow(() -> GatewayException.notConfigured(providerName));
            dev.langchain4j.model.chat.request.ChatRequest lcRequest;
            try {
                lcRequest = Lc4j.request(request, endpoint.kind());
            } catch (IllegalArgumentException | NullPointerException e) {
                // langchain4j's builders validate too; their complaints are about the request.
                throw GatewayException.badInput("invalid request: " + e.getMessage());
            }
            AtomicBoolean emitted = new AtomicBoolean();
            ChatResponse response = withRetries(projectId, endpoint, attempts, emitted, () -> onToken == null
                    ? clients.chatModel(endpoint).chat(lcRequest)
                    : stream(clients.streamingModel(endpoint), lcRequest, onToken, emitted));
            Usage usage = Lc4j.usage(response);
            Double cost = pricing.price(projectId, endpoint.kind().id(), modelName).map(p -> p.cost(usage)).orElse(null);
            ChatResult result = new ChatResult(response.aiMessage() == null ? null : response.aiMessage().text(),
                    Lc4j.toolCalls(response.aiMessage()), Lc4j.finishReason(response), usage, cost,
                    elapsed(started), attempts[0], providerName, modelName);
            record(projectId, new RecordedCall(Ids.newId(), startedAt, result.latencyMs(), providerName, modelName,
                    request, result, usage, cost, null, attempts[0], onToken != null));
            return result;
        } catch (GatewayException e) {
            record(projectId, new RecordedCall(Ids.newId(), startedAt, elapsed(started), providerName, modelName,
                    request, null, Usage.NONE, null, e.code() + ": " + e.getMessage(), attempts[0], onToken != null));
            throw e;
        }
    }

    private void record(String projectId, RecordedCall call) {
        try {
            recorder.record(projectId, call);
        } catch (RuntimeException e) {
            // Recording is best effort: a failing recorder must not fail the model call.
            LOG.warn("recording a gateway call failed: {}",
                    e.toString());
        }
    }

    private interface Attempt {
        ChatResponse run();
    }

    private ChatResponse withRetries(String projectId, ProviderEndpoint endpoint, int[] attempts, AtomicBoolean emitted,
                                     Attempt attempt) {
        Semaphore limit = limits.computeIfAbsent(projectId + "/" + endpoint.name(),
                k -> new Semaphore(settings.maxConcurrency(), true));
        RetryPolicy policy = settings.retry();
        while (true) {
            Failure failure;
            acquire(limit, endpoint);
            try {
                attempts[0]++;
                return attempt.run();
            } catch (RuntimeException e) {
                failure = classify(e, endpoint);
            } finally {
                limit.release();
            }
            if (!failure.retryable() || attempts[0] >= policy.maxAttempts() || emitted.get()) {
                throw failure.exception();
            }
            Optional<Duration> delay = policy.delay(attempts[0], failure.retryAfter(), ThreadLocalRandom.current());
            if (delay.isEmpty()) {
                throw failure.exception();
            }
            try {
                sleeper.sleep(delay.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure.exception();
            }
        }
    }

    private void acquire(Semaphore limit, ProviderEndpoint endpoint) {
        try {
            if (!limit.tryAcquire(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new GatewayException(503, "provider_busy", "too many concurrent calls to provider '"
                        + endpoint.name() + "'; try again later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(503, "provider_busy", "interrupted while waiting for provider '"
                    + endpoint.name() + "'");
        }
    }

    private ChatResponse stream(StreamingChatModel model, dev.langchain4j.model.chat.request.ChatRequest request,
                                Consumer<String> onToken, AtomicBoolean emitted) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                emitted.set(true);
                onToken.accept(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new dev.langchain4j.exception.TimeoutException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while streaming", e);
        }
    }

    private record Failure(GatewayException exception, boolean retryable, Duration retryAfter) {
    }

    /** Maps whatever langchain4j threw to a clean, credential-free error and whether to retry. */
    private Failure classify(RuntimeException error, ProviderEndpoint endpoint) {
        if (error instanceof GatewayException g) {
            return new Failure(g, false, null);
        }
        String name = endpoint.name();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProviderHttpException http) {
                int status = http.statusCode();
                Duration retryAfter = http.retryAfter().orElse(null);
                if (status == 429) {
                    return new Failure(new GatewayException(429, "rate_limited", "provider '" + name
                            + "' is rate limiting (HTTP 429)" + (retryAfter == null ? "" : "; Retry-After "
                            + retryAfter.toSeconds() + " s")), true, retryAfter);
                }
                if (status >= 500) {
                    return new Failure(new GatewayException(502, "provider_error", "provider '" + name
                            + "' failed (HTTP " + status + "): " + redact(http.getMessage(), endpoint)), true, retryAfter);
                }
                if (status == 401 || status == 403) {
                    return new Failure(new GatewayException(502, "provider_auth", "provider '" + name
                            + "' rejected the credentials (HTTP " + status + "); check Settings → Model providers"),
                            false, null);
                }
                if (status == 408) {
                    return new Failure(timeout(name), false, null);
                }
                return new Failure(new GatewayException(400, "invalid_request", "provider '" + name
                        + "' rejected the request (HTTP " + status + "): " + redact(http.getMessage(), endpoint)),
                        false, null);
            }
            if (t instanceof dev.langchain4j.exception.TimeoutException || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException) {
                return new Failure(timeout(name), false, null);
            }
            if (t instanceof JsonProcessingException) {
                return new Failure(new GatewayException(502, "malformed_response", "provider '" + name
                        + "' sent a response that is not valid JSON"), false, null);
            }
            if (t instanceof UnsupportedFeatureException) {
                return new Failure(GatewayException.badInput("provider '" + name + "' does not support this: "
                        + redact(t.getMessage(), endpoint)), false, null);
            }
        }
        return new Failure(new GatewayException(502, "provider_error", "calling provider '" + name + "' failed: "
                + redact(error.getClass().getSimpleName() + ": " + error.getMessage(), endpoint)), false, null);
    }

    private GatewayException timeout(String provider) {
        return new GatewayException(504, "provider_timeout", "provider '" + provider + "' did not answer within "
                + settings.timeout().toSeconds() + " s");
    }

    /** Provider messages may echo the key back; strip it and keep messages short. */
    private static String redact(String message, ProviderEndpoint endpoint) {
        String text = message == null ? "" : message;
        if (endpoint.apiKey() != null && endpoint.apiKey().length() >= 4) {
            text = text.replace(endpoint.apiKey(), "***");
        }
        text = text.replaceAll("(sk|key|AIza)[-_A-Za-z0-9]{8,}", "***");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
