package dev.sextant.server.models;

import dev.sextant.server.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit key that encrypts provider credentials at rest: from the {@code master-key} setting
 * (base64, e.g. env {@code SEXTANT_MASTER_KEY}) or else from {@code master.key} in the data dir,
 * created with owner-only permissions on first start. Every server sharing a database needs the same key.
 */
public final class MasterKey {
    public static final String FILE = "master.key";
    private static final int BYTES = 32;

    private MasterKey() {
    }

    public static SecretKey load(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured.trim(), "master-key");
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return decode(Files.readString(file).trim(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        byte[] text = Base64.getEncoder().encode(key);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (e.g. Windows): no mode bits to set; the data dir's ACLs apply.
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return; // another process sharing the data dir created it first
        }
        Files.write(file, text, StandardOpenOption.WRITE);
    }

    private static SecretKey decode(String base64, String source) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + " must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`)");
        }
        if (raw.length != BYTES) {
            throw new ConfigException(source + " must decode to 32 bytes, got " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }
}
