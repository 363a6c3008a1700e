package dev.sextant.server.projects;

import dev.sextant.server.auth.Role;
import java.time.Instant;

/** A user's membership of a project, as listed in Settings. */
public record Member(String userId, String email, String name, Role role, Instant createdAt) {
}
