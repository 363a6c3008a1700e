package dev.sextant.server.http;

import dev.sextant.server.auth.Access;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Registers routes on Javalin and remembers the API ones for the OpenAPI document. Every route
 * declares its {@link Access}; features register through this class only.
 */
public final class Routes {
    private final RoutesConfig routes;
    private final List<ApiRoute> apiRoutes = new ArrayList<>();

    public Routes(RoutesConfig routes) {
        this.routes = routes;
    }

    /**
     * An API route, documented in OpenAPI.
     *
     * @param route method and path, e.g. {@code "GET /api/projects/{id}"}
     */
    public void api(String route, Access access, String summary, Handler handler) {
        String[] parts = split(route);
        apiRoutes.add(new ApiRoute(parts[0], parts[1], access, summary));
        add(parts[0], parts[1], access, handler);
    }

    /** A web page or form endpoint (HTML), not part of the API document. */
    public void page(String route, Access access, Handler handler) {
        String[] parts = split(route);
        add(parts[0], parts[1], access, handler);
    }

    public List<ApiRoute> apiRoutes() {
        return List.copyOf(apiRoutes);
    }

    public RoutesConfig raw() {
        return routes;
    }

    private void add(String method, String path, Access access, Handler handler) {
        routes.addHttpHandler(HandlerType.findOrCreate(method), path, handler, access);
    }

    private static String[] split(String route) {
        String[] parts = route.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("route must look like 'GET /path': " + route);
        }
        parts[0] = parts[0].toUpperCase(Locale.ROOT);
        return parts;
    }
}
