package dev.sextant.server.http;

import java.util.List;

/** A cursor-paginated list, serialized as {@code {"data": [...], "nextCursor": "..."}}. */
public record PageOf<T>(List<T> data, String nextCursor) {
}
