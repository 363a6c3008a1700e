package dev.sextant.sdk;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;

/** JSON via jackson-jr (small, no reflection-heavy databind). */
final class JsonText {
    private static final JSON JSON_ = JSON.std;

    private JsonText() {
    }

    static String write(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return JSON_.asString(value);
        } catch (IOException e) {
            return String.valueOf(value);
        }
    }

    static JSON json() {
        return JSON_;
    }
}
