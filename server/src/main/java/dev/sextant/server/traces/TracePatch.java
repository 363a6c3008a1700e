package dev.sextant.server.traces;

/**
 * Trace-level facts from one delivery (a native trace object, or attributes such as
 * {@code session.id} found on a span). Null means unknown; {@code explicitFields} marks which of
 * name/input/output were set by the client and so must not be derived from the root span.
 */
public record TracePatch(String id, String name, String sessionId, String userId, String tags, String metadata,
                         String input, String output, int explicitFields) {
    public static final int NAME = 1;
    public static final int INPUT = 2;
    public static final int OUTPUT = 4;

    public static TracePatch empty(String id) {
        return new TracePatch(id, null, null, null, null, null, null, null, 0);
    }

    /** This patch followed by {@code later}: the later one's known fields win. */
    public TracePatch then(TracePatch later) {
        return new TracePatch(id, or(later.name, name), or(later.sessionId, sessionId), or(later.userId, userId),
                or(later.tags, tags), or(later.metadata, metadata), or(later.input, input), or(later.output, output),
                explicitFields | later.explicitFields);
    }

    private static String or(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }
}
