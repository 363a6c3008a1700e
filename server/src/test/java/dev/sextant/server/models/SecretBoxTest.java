package dev.sextant.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private static SecretBox box() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SecretBox(new SecretKeySpec(key, "AES"));
    }

    @Test
    void aSecretRoundTripsAndEachEncryptionUsesAFreshNonce() {
        SecretBox box = box();
        String first = box.encrypt("sk-abc", "project/1/openai");
        String second = box.encrypt("sk-abc", "project/1/openai");
        assertThat(first).isNotEqualTo(second).doesNotContain("sk-abc");
        assertThat(box.decrypt(first, "project/1/openai")).isEqualTo("sk-abc");
    }

    @Test
    void aCiphertextMovedToAnotherRowTamperedWithOrReadWithAnotherKeyIsRejected() {
        SecretBox box = box();
        String sealed = box.encrypt("sk-abc", "project/1/openai");
        assertThatThrownBy(() -> box.decrypt(sealed, "project/2/openai")).isInstanceOf(IllegalStateException.class);
        byte[] raw = Base64.getDecoder().decode(sealed);
        raw[raw.length - 1] ^= 1;
        assertThatThrownBy(() -> box.decrypt(Base64.getEncoder().encodeToString(raw), "project/1/openai"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> box().decrypt(sealed, "project/1/openai")).isInstanceOf(IllegalStateException.class);
    }
}
