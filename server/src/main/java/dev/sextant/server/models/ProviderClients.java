package dev.sextant.server.models;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;

/**
 * Builds langchain4j chat models for a provider endpoint. Every model uses {@link ProviderHttpClient}
 * (one shared JDK client), has langchain4j's own retries off ({@code maxRetries(0)}: the gateway
 * retries) and never logs requests or responses.
 */
final class ProviderClients {
    private static final String SIM_KEY = "sim-no-key-needed";

    private final java.net.http.HttpClient jdk;
    private final Duration timeout;
    private final com.github.benmanes.caffeine.cache.Cache<ProviderEndpoint, ChatModel> chatModels =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(1_000).build();

    ProviderClients(Duration timeout) {
        this.timeout = timeout;
        this.jdk = java.net.http.HttpClient.newBuilder().connectTimeout(timeout)
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    }

    private HttpClientBuilder http() {
        return new ProviderHttpClient.Builder(jdk, timeout);
    }

    /** One model per endpoint (langchain4j models are thread-safe): building one per call costs time. */
    ChatModel chatModel(ProviderEndpoint endpoint) {
        return chatModels.get(endpoint, this::newChatModel);
    }

    private ChatModel newChatModel(ProviderEndpoint endpoint) {
        return switch (endpoint.kind()) {
            case SIM, OPENAI, OPENAI_COMPATIBLE -> OpenAiChatModel.builder().httpClientBuilder(http())
                    .baseUrl(baseUrl(endpoint)).apiKey(key(endpoint)).timeout(timeout).maxRetries(0)
                    .logRequests(false).logResponses(false).build();
            case ANTHROPIC -> {
                AnthropicChatModel.AnthropicChatModelBuilder b = AnthropicChatModel.builder().httpClientBuilder(http())
                        .apiKey(key(endpoint)).timeout(timeout).maxRetries(0).logRequests(false).logResponses(false);
                yield (endpoint.baseUrl() == null ? b : b.baseUrl(endpoint.baseUrl())).build();
            }
            case GEMINI -> {
                GoogleAiGeminiChatModel.GoogleAiGeminiChatModelBuilder b = GoogleAiGeminiChatModel.builder()
                        .httpClientBuilder(http()).apiKey(key(endpoint)).timeout(timeout).maxRetries(0);
                yield (endpoint.baseUrl() == null ? b : b.baseUrl(endpoint.baseUrl())).build();
            }
        };
    }

    StreamingChatModel streamingModel(ProviderEndpoint endpoint) {
        return switch (endpoint.kind()) {
            case SIM, OPENAI, OPENAI_COMPATIBLE -> OpenAiStreamingChatModel.builder().httpClientBuilder(http())
                    .baseUrl(baseUrl(endpoint)).apiKey(key(endpoint)).timeout(timeout)
                    .logRequests(false).logResponses(false).build();
            case ANTHROPIC -> {
                AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder b = AnthropicStreamingChatModel.builder()
                        .httpClientBuilder(http()).apiKey(key(endpoint)).timeout(timeout)
                        .logRequests(false).logResponses(false);
                yield (endpoint.baseUrl() == null ? b : b.baseUrl(endpoint.baseUrl())).build();
            }
            case GEMINI -> {
                GoogleAiGeminiStreamingChatModel.GoogleAiGeminiStreamingChatModelBuilder b =
                        GoogleAiGeminiStreamingChatModel.builder().httpClientBuilder(http()).apiKey(key(endpoint))
                                .timeout(timeout);
                yield (endpoint.baseUrl() == null ? b : b.baseUrl(endpoint.baseUrl())).build();
            }
        };
    }

    private static String baseUrl(ProviderEndpoint endpoint) {
        if (endpoint.baseUrl() != null && !endpoint.baseUrl().isBlank()) {
            return endpoint.baseUrl();
        }
        if (endpoint.kind() == ProviderKind.OPENAI) {
            return "https://api.openai.com/v1";
        }
        throw GatewayException.badInput("provider '" + endpoint.name() + "' needs a base URL");
    }

    private static String key(ProviderEndpoint endpoint) {
        if (endpoint.apiKey() != null && !endpoint.apiKey().isBlank()) {
            return endpoint.apiKey();
        }
        if (endpoint.kind() == ProviderKind.SIM || endpoint.kind() == ProviderKind.OPENAI_COMPATIBLE) {
            return SIM_KEY;
        }
        throw new GatewayException(422, "provider_not_configured", "provider '" + endpoint.name()
                + "' has no API key; set one under Settings → Model providers");
    }
}
