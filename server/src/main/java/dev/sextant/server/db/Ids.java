package dev.sextant.server.db;

import com.github.f4b6a3.uuid.UuidCreator;

/** Time-ordered identifiers (UUIDv7) as strings: sortable by creation time in every database. */
public final class Ids {
    private Ids() {
    }

    public static String newId() {
        return UuidCreator.getTimeOrderedEpoch().toString();
    }
}
