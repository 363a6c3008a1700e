package dev.sextant.server.datasets;

import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** Opaque cursors and the "fetch limit + 1 to know if there is more" page cut. */
final class Cursors {
    private Cursors() {
    }

    static <T> PageOf<T> page(List<T> fetched, int limit, Function<T, String> cursorOf) {
        if (fetched.size() <= limit) {
            return new PageOf<>(fetched, null);
        }
        List<T> page = fetched.subList(0, limit);
        return new PageOf<>(List.copyOf(page), cursorOf.apply(page.getLast()));
    }

    static String encode(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid cursor");
        }
    }
}
