package dev.sextant.server.http;

import dev.sextant.server.auth.Access;

/** One documented API route: the source of the OpenAPI document. */
public record ApiRoute(String method, String path, Access access, String summary) {

    /** The OpenAPI tag: the first segment after {@code /api/} (or {@code otlp} for {@code /v1/}). */
    public String tag() {
        if (path.startsWith("/v1/")) {
            return "otlp";
        }
        String rest = path.startsWith("/api/") ? path.substring(5) : path.substring(1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
