package dev.sextant.server.models;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP client langchain4j uses for every provider: the JDK client (one shared instance), with the
 * provider's error status and {@code Retry-After} header kept on the exception so the gateway can
 * honour it (langchain4j's own client drops response headers on errors). Streaming runs on the
 * calling (virtual) thread. Never logs requests or responses: they carry credentials and user data.
 */
final class ProviderHttpClient implements HttpClient {
    private final java.net.http.HttpClient jdk;
    private final Duration readTimeout;

    ProviderHttpClient(java.net.http.HttpClient jdk, Duration readTimeout) {
        this.jdk = jdk;
        this.readTimeout = readTimeout;
    }

    /** A non-2xx provider response. */
    static final class ProviderHttpException extends HttpException {
        private final transient Duration retryAfter;

        ProviderHttpException(int status, String body, Duration retryAfter) {
            super(status, body);
            this.retryAfter = retryAfter;
        }

        Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /**
     * Builds clients sharing one JDK client; langchain4j calls this from the model builders. The
     * connect timeout is the shared client's; the read timeout applies per request.
     */
    static final class Builder implements HttpClientBuilder {
        private final java.net.http.HttpClient jdk;
        private Duration connectTimeout;
        private Duration readTimeout;

        Builder(java.net.http.HttpClient jdk, Duration timeout) {
            this.jdk = jdk;
            this.readTimeout = timeout;
            this.connectTimeout = timeout;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            if (timeout != null) {
                this.readTimeout = timeout;
            }
            return this;
        }

        @Override
        public HttpClient build() {
            return new ProviderHttpClient(jdk, readTimeout);
        }
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = jdk.send(toJdk(request), HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() / 100 != 2) {
                throw new ProviderHttpException(response.statusCode(), body, retryAfter(response));
            }
            return SuccessfulHttpResponse.builder().statusCode(response.statusCode())
                    .headers(response.headers().map()).body(body).build();
        } catch (HttpTimeoutException e) {
            throw new TimeoutException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the provider", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the provider: " + e.getMessage(), e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        try {
            HttpResponse<InputStream> response = jdk.send(toJdk(request), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    listener.onError(new ProviderHttpException(response.statusCode(),
                            new String(body.readAllBytes(), StandardCharsets.UTF_8), retryAfter(response)));
                    return;
                }
                listener.onOpen(SuccessfulHttpResponse.builder().statusCode(response.statusCode())
                        .headers(response.headers().map()).build());
                parser.parse(body, listener);
                listener.onClose();
            }
        } catch (HttpTimeoutException e) {
            listener.onError(new TimeoutException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.onError(e);
        } catch (IOException | RuntimeException e) {
            listener.onError(e);
        }
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach((name, values) -> {
            if (values != null) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        builder.method(request.method().name(), request.body() == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        if (readTimeout != null) {
            builder.timeout(readTimeout);
        }
        return builder.build();
    }

    /** Retry-After in seconds (the HTTP-date form is rare for model APIs and treated as absent). */
    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(value.trim()) * 1000)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }
}
