package dev.sextant.server.monitoring;

import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.Secrets;
import dev.sextant.server.db.Database;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.jobs.JobQueue;
import dev.sextant.server.models.SecretBox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert rules on metrics, checked by a periodic job. A rule notifies its webhook once when it starts
 * firing and once when it resolves, never while it stays in the same state. Bodies are signed with
 * {@code X-Sextant-Signature: sha256=<hex HMAC-SHA256 of the body with the rule's secret>}.
 */
public final class AlertService {
    static final String CHECK = "monitoring.alerts.check";
    public static final String SIGNATURE_HEADER = "X-Sextant-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
    private static final Set<String> COMPARISONS = Set.of("gt", "gte", "lt", "lte");
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(5);

    private final Jdbi jdbi;
    private final AlertStore store;
    private final MetricsService metrics;
    private final SecretBox secrets;
    private final AuditLog audit;
    private final Clock clock;
    private final Periodic checker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WEBHOOK_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final WebhookAddresses addresses;

    public AlertService(Database database, MetricsService metrics, SecretBox secrets, JobQueue jobs, AuditLog audit,
                        Clock clock, Duration interval, boolean allowPrivateWebhooks) {
        this.addresses = new WebhookAddresses(allowPrivateWebhooks);
        this.jdbi = database.jdbi();
        this.store = new AlertStore(database.jdbi());
        this.metrics = metrics;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
        this.checker = new Periodic(CHECK, interval, jobs, database, clock, store::any);
    }

    public void register() {
        checker.register(this::checkAll);
    }

    /** What the API accepts; {@code secret} may be omitted to have one generated (returned once). */
    public record AlertInput(String name, String metric, String evaluator, String comparison, Double threshold,
                             Integer windowMinutes, String webhookUrl, String secret) {
    }

    /** The created rule and its signing secret: the only time the secret is shown. */
    public record Created(AlertRule rule, String secret) {
    }

    public record AlertView(AlertRule rule, List<AlertEvent> events) {
    }

    public Created create(String projectId, AlertInput in, Principal actor) {
        if (in.name() == null || !in.name().strip().matches("[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}")) {
            throw ApiException.invalid("name is required: 1-100 letters, digits, spaces, '.', '_' or '-'");
        }
        Metric metric = Metric.parse(in.metric());
        String comparison = in.comparison() == null ? "gt" : in.comparison();
        if (!COMPARISONS.contains(comparison)) {
            throw ApiException.invalid("comparison must be gt, gte, lt or lte");
        }
        if (in.threshold() == null || !Double.isFinite(in.threshold())) {
            throw ApiException.invalid("threshold (a number) is required");
        }
        int window = in.windowMinutes() == null ? 60 : in.windowMinutes();
        if (window < 1 || window > 60 * 24 * 31) {
            throw ApiException.invalid("windowMinutes must be from 1 to 44640 (31 days)");
        }
        URI url = webhook(in.webhookUrl());
        addresses.refusal(url).ifPresent(reason -> {
            throw ApiException.invalid(reason);
        });
        String secret = in.secret() == null || in.secret().isBlank() ? "whsec_" + Secrets.randomToken(24) : in.secret();
        if (secret.length() > 200) {
            throw ApiException.invalid("secret must have at most 200 characters");
        }
        String evaluator = in.evaluator() == null || in.evaluator().isBlank() ? null : in.evaluator().strip();
        AlertRule rule = new AlertRule(Ids.newId(), in.name().strip(), metric, evaluator, comparison, in.threshold(),
                window, url.toString(), false, null, null, clock.instant());
        jdbi.useTransaction(h -> {
            if (store.rule(h, projectId, rule.name()).isPresent()) {
                throw ApiException.conflict("an alert named '" + rule.name() + "' exists");
            }
            store.insert(h, projectId, rule, secrets.encrypt(secret, rule.id()));
            audit.record(h, projectId, actor.actorLabel(), "alert.create", "alert", rule.id(),
                    Map.of("name", rule.name(), "metric", metric.id()));
        });
        checker.poke();
        return new Created(rule, secret);
    }

    public List<AlertRule> list(String projectId) {
        return store.rules(projectId);
    }

    public AlertView get(String projectId, String idOrName) {
        AlertRule rule = jdbi.withHandle(h -> store.rule(h, projectId, idOrName))
                .orElseThrow(() -> ApiException.notFound("alert " + idOrName));
        return new AlertView(rule, store.events(projectId, rule.id(), 100));
    }

    public List<AlertEvent> history(String projectId) {
        return store.events(projectId, null, 100);
    }

    public void delete(String projectId, String idOrName, Principal actor) {
        jdbi.useTransaction(h -> {
            AlertRule rule = store.rule(h, projectId, idOrName)
                    .orElseThrow(() -> ApiException.notFound("alert " + idOrName));
            store.delete(h, projectId, rule.id());
            audit.record(h, projectId, actor.actorLabel(), "alert.delete", "alert", rule.id(), Map.of("name", rule.name()));
        });
    }

    /** Checks every rule once; public so that tests and operators can run it on demand. */
    public synchronized void checkAll() {
        for (AlertStore.Owned owned : store.all()) {
            try {
                check(owned);
            } catch (RuntimeException e) {
                LOG.warn("alert {} check failed", owned.rule().id(), e);
            }
        }
    }

    private void check(AlertStore.Owned owned) {
        AlertRule rule = owned.rule();
        Instant now = clock.instant();
        Double value = metrics.total(owned.projectId(), rule.metric(),
                new TimeRange(now.minus(Duration.ofMinutes(rule.windowMinutes())), now), rule.evaluator());
        // No data (e.g. no votes in the window) leaves the state as it is.
        boolean firing = value == null ? rule.firing() : rule.breached(value);
        store.checked(rule.id(), firing, value, now);
        if (firing != rule.firing()) {
            String state = firing ? "firing" : "resolved";
            String delivery = notify(owned, state, value, now);
            store.event(owned.projectId(), new AlertEvent(Ids.newId(), rule.id(), state, value, delivery, now));
        }
    }

    private String notify(AlertStore.Owned owned, String state, Double value, Instant at) {
        AlertRule rule = owned.rule();
        String body = Json.mapper().createObjectNode().put("alert", rule.name()).put("alertId", rule.id())
                .put("projectId", owned.projectId()).put("state", state).put("metric", rule.metric().id())
                .put("evaluator", rule.evaluator()).put("value", value).put("comparison", rule.comparison())
                .put("threshold", rule.threshold()).put("windowMinutes", rule.windowMinutes())
                .put("at", at.toString()).toString();
        Optional<String> refused = addresses.refusal(URI.create(rule.webhookUrl()));
        if (refused.isPresent()) {
            return "failed: " + refused.get();
        }
        try {
            String signature = sign(secrets.decrypt(owned.sealedSecret(), rule.id()), body);
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(rule.webhookUrl()))
                    .timeout(WEBHOOK_TIMEOUT).header("Content-Type", "application/json")
                    .header(SIGNATURE_HEADER, "sha256=" + signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            return (response.statusCode() / 100 == 2 ? "delivered " : "failed: HTTP ") + response.statusCode();
        } catch (java.io.IOException | RuntimeException e) {
            return "failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "failed: interrupted";
        }
    }

    /** Hex HMAC-SHA256 of the body with the secret: what receivers compare the signature header with. */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI webhook(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("webhookUrl is required");
        }
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ApiException.invalid("webhookUrl must be an http(s) URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw ApiException.invalid("webhookUrl must be an http(s) URL");
        }
    }
}
