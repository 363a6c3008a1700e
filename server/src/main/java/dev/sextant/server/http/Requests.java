package dev.sextant.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.http.Context;
import java.io.IOException;

/** Parsing and validating request input with clear 4xx errors. */
public final class Requests {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private Requests() {
    }

    /** The JSON body as {@code type}; 415 for other content types, 400 for malformed JSON. */
    public static <T> T json(Context ctx, Class<T> type) {
        requireJson(ctx);
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw ApiException.badRequest("a JSON request body is required");
        }
        try {
            T value = Json.mapper().readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("a JSON request body is required");
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("JSON is nested too deeply or too large: " + e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            throw ApiException.badRequest("invalid JSON for this request: " + describe(e));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read request body: " + e.getMessage());
        }
    }

    public static void requireJson(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "Content-Type must be application/json");
        }
    }

    private static String describe(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> a + "." + b).orElse("");
        return (path.isEmpty() ? "" : "field '" + path + "': ") + e.getOriginalMessage();
    }

    /** {@code limit} query parameter clamped to 1..MAX_LIMIT. */
    public static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit < 1) {
                throw ApiException.badRequest("limit must be at least 1");
            }
            return Math.min(limit, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a whole number");
        }
    }

    public static String requireText(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field + " is required");
        }
        if (value.length() > maxLength) {
            throw ApiException.invalid(field + " must have at most " + maxLength + " characters");
        }
        return value.trim();
    }
}
