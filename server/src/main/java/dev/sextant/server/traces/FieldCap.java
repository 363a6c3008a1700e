package dev.sextant.server.traces;

import dev.sextant.server.http.Json;
import java.nio.charset.StandardCharsets;

/**
 * Caps stored text fields at a byte size with a visible marker, so that one huge field is kept
 * (shortened) instead of rejecting its batch. Capped JSON becomes a JSON string, so it stays valid.
 */
public final class FieldCap {
    private static final int MARKER_BYTES = 40;

    private final int maxBytes;

    public FieldCap(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Plain text, shortened to the cap with a {@code …[truncated N bytes]} marker. */
    public String text(String value) {
        if (value == null || value.length() * 3L <= maxBytes) {
            return value;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return value;
        }
        // The marker fits in the budget, so capped text stays within it.
        int cut = Math.max(0, maxBytes - MARKER_BYTES);
        // Step back to a UTF-8 character boundary (continuation bytes are 10xxxxxx).
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return new String(bytes, 0, cut, StandardCharsets.UTF_8) + "…[truncated " + (bytes.length - cut) + " bytes]";
    }

    /**
     * JSON text; when too large, a JSON string holding the shortened text. Values already cut
     * (a capped string attribute, now quoted) get some room for quoting instead of a second cut.
     */
    public String json(String value) {
        if (value == null || value.length() <= maxBytes + maxBytes / 8 + 64) {
            return value;
        }
        String capped = text(value);
        return capped == value ? value : Json.write(capped);
    }
}
