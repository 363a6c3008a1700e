package dev.sextant.server.models;

import dev.sextant.server.http.ApiException;

/**
 * A gateway call that failed for good (after retries), with a stable code: {@code provider_not_configured},
 * {@code invalid_request}, {@code rate_limited}, {@code provider_error}, {@code provider_timeout},
 * {@code malformed_response}, {@code provider_auth} or {@code provider_busy}. Messages never contain credentials.
 */
public final class GatewayException extends ApiException {
    public GatewayException(int status, String code, String message) {
        super(status, code, message);
    }

    static GatewayException notConfigured(String provider) {
        return new GatewayException(422, "provider_not_configured", "model provider '" + provider
                + "' is not configured for this project; add it under Settings → Model providers");
    }

    static GatewayException badInput(String message) {
        return new GatewayException(400, "invalid_request", message);
    }
}
