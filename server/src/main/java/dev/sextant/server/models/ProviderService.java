package dev.sextant.server.models;

import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.http.ApiException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Provider settings per project, with API keys encrypted at rest. Resolves a model config's provider
 * name to an endpoint for the gateway; {@code sim} works without any setup (the in-process sim).
 */
public final class ProviderService implements ProviderResolver {
    public static final String SIM = "sim";
    private static final String NAME = "[a-z0-9][a-z0-9_-]{0,39}";

    private final Jdbi jdbi;
    private final ProviderStore store;
    private final SecretBox secrets;
    private final AuditLog audit;
    private final Clock clock;
    private final Supplier<String> simBaseUrl;
    /**
     * Resolved endpoints (decrypted keys included) for a few seconds: every model call resolves its
     * provider. Changes made here apply at once; another server's after the expiry.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Optional<ProviderEndpoint>> endpoints =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofSeconds(5))
                    .maximumSize(10_000).build();

    public ProviderService(Jdbi jdbi, SecretBox secrets, AuditLog audit, Clock clock, Supplier<String> simBaseUrl) {
        this.jdbi = jdbi;
        this.store = new ProviderStore(jdbi);
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
        this.simBaseUrl = simBaseUrl;
    }

    /** The project's providers, the built-in sim first unless the project configured its own. */
    public List<ProviderInfo> list(String projectId) {
        List<ProviderInfo> out = new ArrayList<>();
        List<ProviderStore.Row> rows = store.list(projectId);
        if (rows.stream().noneMatch(r -> r.name().equals(SIM))) {
            out.add(new ProviderInfo(SIM, ProviderKind.SIM.id(), null, false, null, true, null, null));
        }
        rows.forEach(r -> out.add(info(r)));
        return out;
    }

    public Optional<ProviderInfo> find(String projectId, String name) {
        return list(projectId).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public ProviderInfo save(String projectId, String name, ProviderUpdate update, Principal actor) {
        String wanted = name == null ? "" : name.trim();
        if (!wanted.matches(NAME)) {
            throw ApiException.invalid("provider name must be 1-40 lowercase letters, digits, '-' or '_'");
        }
        String kindId = update.kind() != null && !update.kind().isBlank() ? update.kind() : wanted;
        ProviderKind kind = ProviderKind.parse(kindId).orElseThrow(() -> ApiException.invalid(
                "kind must be one of sim, openai, openai-compatible, anthropic, gemini"));
        String baseUrl = baseUrl(update.baseUrl());
        if (baseUrl == null && (kind == ProviderKind.OPENAI_COMPATIBLE || kind == ProviderKind.SIM)
                && !wanted.equals(SIM)) {
            throw ApiException.invalid("a " + kind.id() + " provider needs a base URL");
        }
        if (update.apiKey() != null && (update.apiKey().length() > 1000 || update.apiKey().strip().contains(" ")
                || update.apiKey().contains("\n"))) {
            throw ApiException.invalid("apiKey must be a single token of at most 1000 characters");
        }
        Instant now = clock.instant();
        ProviderInfo saved = jdbi.inTransaction(h -> {
            Optional<ProviderStore.Row> existing = store.find(h, projectId, wanted);
            String cipher = existing.map(ProviderStore.Row::apiKeyCiphertext).orElse(null);
            String last4 = existing.map(ProviderStore.Row::apiKeyLast4).orElse(null);
            String keyChange = "unchanged";
            if (update.apiKey() != null) {
                String key = update.apiKey().strip();
                cipher = key.isEmpty() ? null : secrets.encrypt(key, aad(projectId, wanted));
                last4 = key.length() >= 12 ? key.substring(key.length() - 4) : null;
                keyChange = key.isEmpty() ? "removed" : "set";
            }
            ProviderStore.Row row = new ProviderStore.Row(projectId, wanted, kind.id(), baseUrl, cipher, last4,
                    actor.actorLabel(), existing.map(ProviderStore.Row::createdAt).orElse(now), now);
            store.upsert(h, row);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("kind", kind.id());
            summary.put("baseUrl", baseUrl);
            summary.put("apiKey", keyChange);
            audit.record(h, projectId, actor.actorLabel(), existing.isPresent() ? "provider.update" : "provider.create",
                    "provider", wanted, summary);
            return info(row);
        });
        endpoints.invalidate(projectId + "/" + wanted);
        return saved;
    }

    public void delete(String projectId, String name, Principal actor) {
        jdbi.useTransaction(h -> {
            if (store.delete(h, projectId, name) == 0) {
                throw ApiException.notFound("provider " + name);
            }
            audit.record(h, projectId, actor.actorLabel(), "provider.delete", "provider", name, Map.of());
        });
        endpoints.invalidate(projectId + "/" + name);
    }

    @Override
    public Optional<ProviderEndpoint> resolve(String projectId, String name) {
        return endpoints.get(projectId + "/" + name, key -> lookup(projectId, name));
    }

    private Optional<ProviderEndpoint> lookup(String projectId, String name) {
        Optional<ProviderStore.Row> row = store.find(projectId, name);
        if (row.isEmpty()) {
            return name.equals(SIM)
                    ? Optional.of(new ProviderEndpoint(SIM, ProviderKind.SIM, simBaseUrl.get(), null))
                    : Optional.empty();
        }
        ProviderStore.Row r = row.get();
        String key;
        try {
            key = r.apiKeyCiphertext() == null ? null : secrets.decrypt(r.apiKeyCiphertext(), aad(projectId, name));
        } catch (IllegalStateException e) {
            throw new GatewayException(500, "credentials_unreadable", "the stored key of provider '" + name
                    + "' cannot be decrypted (was the master key changed?); enter it again under Settings → "
                    + "Model providers");
        }
        String baseUrl = r.baseUrl() == null && name.equals(SIM) ? simBaseUrl.get() : r.baseUrl();
        return Optional.of(new ProviderEndpoint(name, ProviderKind.parse(r.kind()).orElseThrow(), baseUrl, key));
    }

    private static ProviderInfo info(ProviderStore.Row r) {
        return new ProviderInfo(r.name(), r.kind(), r.baseUrl(), r.apiKeyCiphertext() != null, r.apiKeyLast4(), false,
                r.updatedBy(), r.updatedAt());
    }

    private static String aad(String projectId, String name) {
        return "sextant/provider/" + projectId + "/" + name;
    }

    private static String baseUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String url = raw.strip();
        try {
            URI uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ApiException.invalid("baseUrl must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("baseUrl must be an http(s) URL");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
