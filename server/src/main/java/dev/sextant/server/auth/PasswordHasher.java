package dev.sextant.server.auth;

import com.password4j.Password;

/** Argon2id password hashing (password4j's defaults follow the OWASP recommendation). */
public final class PasswordHasher {
    public static final int MIN_LENGTH = 8;

    public String hash(String password) {
        return Password.hash(password).addRandomSalt().withArgon2().getResult();
    }

    public boolean matches(String password, String hash) {
        return password != null && hash != null && Password.check(password, hash).withArgon2();
    }
}
