package dev.sextant.server.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.db.Database;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.PageOf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Evaluators: versioned like prompts (a name, immutable numbered versions, an unchanged definition
 * does not create a new version), validated on save, and runnable unsaved ("try it").
 */
public final class EvaluatorService {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Jdbi jdbi;
    private final EvaluatorStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final EvaluatorRunner runner;

    public EvaluatorService(Database database, AuditLog audit, Clock clock, EvaluatorRunner runner) {
        this.jdbi = database.jdbi();
        this.store = new EvaluatorStore(database);
        this.audit = audit;
        this.clock = clock;
        this.runner = runner;
    }

    public EvaluatorRunner runner() {
        return runner;
    }

    /** A saved version and whether this call created it (false: identical to the latest version). */
    public record Saved(Evaluator evaluator, boolean created) {
    }

    public Saved save(String projectId, EvaluatorDefinition definition, Principal actor) {
        if (definition.name() == null || !NAME.matcher(definition.name()).matches()) {
            throw ApiException.invalid("name must be 1-100 letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit");
        }
        if (definition.name().equals("new")) {
            throw ApiException.invalid("'new' is reserved (it is the editor's address); choose another name");
        }
        EvaluatorDefinition prepared = prepare(definition);
        String hash = contentHash(prepared);
        try {
            return jdbi.inTransaction(h -> {
                Optional<EvaluatorStore.Head> head = store.head(h, projectId, prepared.name(), true);
                if (head.isPresent() && head.get().kind() != prepared.kind()) {
                    throw ApiException.conflict("evaluator '" + prepared.name() + "' is a " + head.get().kind().id()
                            + " evaluator; its kind cannot change (choose another name)");
                }
                if (head.isPresent()) {
                    Evaluator latest = store.version(h, projectId, prepared.name(), null).orElseThrow();
                    if (latest.contentHash().equals(hash)) {
                        return new Saved(latest, false);
                    }
                }
                String evaluatorId = head.map(EvaluatorStore.Head::id).orElseGet(Ids::newId);
                if (head.isEmpty()) {
                    store.insertHead(h, evaluatorId, projectId, prepared.name(), prepared.kind(), clock.instant());
                }
                int version = head.map(EvaluatorStore.Head::latestVersion).orElse(0) + 1;
                Evaluator saved = new Evaluator(Ids.newId(), prepared.name(), version, prepared.kind(),
                        prepared.description(), prepared.outputType(), prepared.passRule(), prepared.reads(),
                        prepared.config(), hash, actor.actorLabel(), clock.instant());
                store.insertVersion(h, evaluatorId, saved);
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("name", saved.name());
                summary.put("version", version);
                summary.put("kind", saved.kind().id());
                summary.put("contentHash", hash);
                audit.record(h, projectId, actor.actorLabel(), version == 1 ? "evaluator.create" : "evaluator.version",
                        "evaluator", evaluatorId, Map.of("after", summary));
                return new Saved(saved, true);
            });
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                throw ApiException.conflict("evaluator '" + prepared.name() + "' was changed concurrently; retry");
            }
            throw e;
        }
    }

    /** Validates a definition and fills its defaults; bad input is a 422 naming the problem. */
    public EvaluatorDefinition prepare(EvaluatorDefinition definition) {
        if (definition.description() != null && definition.description().length() > 2_000) {
            throw ApiException.invalid("description must have at most 2000 characters");
        }
        try {
            return runner.prepare(definition);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    public Evaluator get(String projectId, String name, Integer version) {
        return store.version(projectId, name, version).orElseThrow(() -> ApiException.notFound(
                "evaluator '" + name + "'" + (version == null ? "" : " version " + version)));
    }

    public Optional<Evaluator> find(String projectId, String name, Integer version) {
        return store.version(projectId, name, version);
    }

    public PageOf<Evaluator> list(String projectId, String search, String cursor, int limit) {
        String q = search == null || search.isBlank() ? null : search.strip();
        List<Evaluator> rows = store.latest(projectId, q, cursor, limit + 1);
        boolean more = rows.size() > limit;
        List<Evaluator> page = more ? rows.subList(0, limit) : rows;
        return new PageOf<>(List.copyOf(page), more ? page.getLast().name() : null);
    }

    public List<Evaluator> versions(String projectId, String name) {
        List<Evaluator> versions = store.versions(projectId, name);
        if (versions.isEmpty()) {
            throw ApiException.notFound("evaluator '" + name + "'");
        }
        return versions;
    }

    /** Runs an unsaved definition on a pasted example. */
    public Judgment tryIt(String projectId, EvaluatorDefinition definition, EvalInput example) {
        EvaluatorDefinition prepared = prepare(definition.name() == null ? definition.withName("unsaved") : definition);
        return runner.run(projectId, prepared, example);
    }

    /** Runs a saved version on an example (for experiments and online evaluation). */
    public Judgment run(String projectId, Evaluator evaluator, EvalInput example) {
        return runner.run(projectId, evaluator.definition(), example);
    }

    static void validateOutputType(OutputType type, String where) {
        if (type == null || type.type() == null) {
            throw new IllegalArgumentException(where + ".type must be boolean, number or category");
        }
        switch (type.type()) {
            case BOOLEAN -> {
                if (type.min() != null || type.max() != null || type.categories() != null) {
                    throw new IllegalArgumentException(where + ": a boolean has no range or categories");
                }
            }
            case NUMBER -> {
                if (type.categories() != null) {
                    throw new IllegalArgumentException(where + ": a number has no categories");
                }
                if (type.min() != null && type.max() != null && type.min() >= type.max()) {
                    throw new IllegalArgumentException(where + ".min must be less than max");
                }
            }
            case CATEGORY -> {
                List<String> categories = type.categories();
                if (categories == null || categories.size() < 2 || categories.size() > 50) {
                    throw new IllegalArgumentException(where + ".categories must list 2 to 50 categories");
                }
                if (categories.stream().anyMatch(c -> c == null || c.isBlank() || c.length() > 100)
                        || new HashSet<>(categories).size() != categories.size()) {
                    throw new IllegalArgumentException(where + ".categories must be distinct, non-empty, "
                            + "at most 100 characters");
                }
            }
        }
    }

    static void validatePassRule(PassRule rule, OutputType type) {
        if (rule.op() == null) {
            throw new IllegalArgumentException("passRule.op must be true, gte or in");
        }
        if (rule.appliesTo() != type.type()) {
            throw new IllegalArgumentException("passRule '" + rule.op().id() + "' does not apply to a "
                    + type.type().id() + " output (use true for boolean, gte for number, in for category)");
        }
        switch (rule.op()) {
            case TRUE -> {
            }
            case GTE -> {
                if (rule.threshold() == null || !Double.isFinite(rule.threshold())) {
                    throw new IllegalArgumentException("passRule.threshold must be a number");
                }
                if (type.min() != null && rule.threshold() < type.min()
                        || type.max() != null && rule.threshold() > type.max()) {
                    throw new IllegalArgumentException("passRule.threshold must lie within the output range");
                }
            }
            case IN -> {
                if (rule.values() == null || rule.values().isEmpty()
                        || !type.categories().containsAll(rule.values())) {
                    throw new IllegalArgumentException("passRule.values must be a non-empty subset of the categories "
                            + type.categories());
                }
            }
        }
    }

    /** SHA-256 of the definition without its name, with object keys sorted. */
    static String contentHash(EvaluatorDefinition definition) {
        JsonNode tree = Json.mapper().valueToTree(definition.withName(null));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(canonical(tree)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> sorted = new TreeMap<>();
            ((ObjectNode) node).properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            return sorted;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(canonical(item)));
            return items;
        }
        return node;
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("23505".equals(sql.getSQLState())
                    || sql.getMessage() != null && sql.getMessage().contains("UNIQUE constraint failed"))) {
                return true;
            }
        }
        return false;
    }
}
