package dev.sextant.server.auth;

import java.time.Instant;

/** A person who logs in to the web UI. The password hash never leaves the store. */
public record User(String id, String email, String name, boolean instanceAdmin, Instant createdAt) {
}
