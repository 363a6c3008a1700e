package dev.sextant.server.http;

import dev.sextant.server.auth.Access;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3.1 document from the registered API routes. */
public final class OpenApiDocument {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private OpenApiDocument() {
    }

    public static Map<String, Object> build(List<ApiRoute> routes, String version) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Sextant API", "version", version,
                "description", "Every route needs 'Authorization: Bearer <api key>' unless marked public. "
                        + "Errors are {\"error\": {\"code\", \"message\"}}; lists are "
                        + "{\"data\": [...], \"nextCursor\": \"...\"}."));
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        for (ApiRoute route : routes) {
            paths.computeIfAbsent(documentedPath(route.path()), p -> new LinkedHashMap<>())
                    .put(route.method().toLowerCase(Locale.ROOT), operation(route));
        }
        doc.put("paths", paths);
        doc.put("components", Map.of(
                "securitySchemes", Map.of(
                        "apiKey", Map.of("type", "http", "scheme", "bearer",
                                "description", "Project API key: secret (sk-sx-…) or public (pk-sx-…)"),
                        "session", Map.of("type", "apiKey", "in", "cookie", "name", "sextant_session")),
                "schemas", Map.of("Error", Map.of("type", "object", "properties", Map.of("error",
                        Map.of("type", "object", "properties", Map.of(
                                "code", Map.of("type", "string"), "message", Map.of("type", "string"))))))));
        return doc;
    }

    private static Map<String, Object> operation(ApiRoute route) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", operationId(route));
        op.put("summary", route.summary());
        op.put("tags", List.of(route.tag()));
        op.put("x-sextant-access", route.access().name().toLowerCase(Locale.ROOT));
        if (route.access() == Access.PUBLIC) {
            op.put("security", List.of());
        } else {
            op.put("security", List.of(Map.of("apiKey", List.of()), Map.of("session", List.of())));
        }
        List<Map<String, Object>> parameters = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(documentedPath(route.path()));
        while (m.find()) {
            parameters.add(Map.of("name", m.group(1), "in", "path", "required", true,
                    "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        Map<String, Object> error = Map.of("description", "Error",
                "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
        op.put("responses", Map.of("200", Map.of("description", "OK"), "4XX", error));
        return op;
    }

    /**
     * The path in OpenAPI syntax: Javalin's {@code <name>} parameters (which may contain '/') become
     * {@code {name}} like the others.
     */
    public static String documentedPath(String path) {
        return path.replaceAll("<([^>]+)>", "{$1}");
    }

    private static String operationId(ApiRoute route) {
        String cleaned = documentedPath(route.path()).replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_");
        return route.method().toLowerCase(Locale.ROOT) + cleaned;
    }
}
