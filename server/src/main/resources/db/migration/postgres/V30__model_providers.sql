-- Model provider settings per project. The API key is AES-GCM encrypted with the server's master key
-- (nonce || ciphertext || tag, base64); only its last 4 characters are kept in clear for display.
CREATE TABLE model_providers (
    project_id         TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL,
    base_url           TEXT,
    api_key_ciphertext TEXT,
    api_key_last4      TEXT,
    updated_by         TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (project_id, name)
);
