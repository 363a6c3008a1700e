package dev.sextant.server.http;

import dev.sextant.server.auth.Secrets;
import io.javalin.http.Context;

/** Every request gets an id (the caller's X-Request-Id if sane), echoed back and logged. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "sextant.requestId";

    private RequestIds() {
    }

    public static void assign(Context ctx) {
        String incoming = ctx.header(HEADER);
        String id = incoming != null && incoming.matches("[A-Za-z0-9._-]{1,64}") ? incoming : Secrets.randomToken(16);
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}
