package dev.sextant.server.auth;

import dev.sextant.server.http.ApiException;
import java.util.Locale;

/** A member's role in a project, from most to least powerful. */
public enum Role {
    /** Everything, including members and keys. */
    ADMIN,
    /** Everything but members; deploys to production. */
    ENGINEER,
    /** Domain expert: edits prompts, datasets, evaluators, reviews; no members, keys or production deploys. */
    EXPERT,
    /** Reads everything, changes nothing. */
    VIEWER;

    public boolean atLeast(Role other) {
        return ordinal() <= other.ordinal();
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        if (value != null) {
            for (Role role : values()) {
                if (role.id().equalsIgnoreCase(value.trim())) {
                    return role;
                }
            }
        }
        throw ApiException.invalid("role must be one of admin, engineer, expert, viewer");
    }
}
