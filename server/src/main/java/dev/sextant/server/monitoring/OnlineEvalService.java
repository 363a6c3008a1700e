package dev.sextant.server.monitoring;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.db.Database;
import dev.sextant.server.db.Ids;
import dev.sextant.server.evaluators.EvalInput;
import dev.sextant.server.evaluators.Evaluator;
import dev.sextant.server.evaluators.EvaluatorKind;
import dev.sextant.server.evaluators.EvaluatorService;
import dev.sextant.server.evaluators.Judgment;
import dev.sextant.server.evaluators.Score;
import dev.sextant.server.evaluators.ScoreService;
import dev.sextant.server.evaluators.TargetType;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.jobs.Job;
import dev.sextant.server.jobs.JobQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online evaluation: rules pick a sample of newly ingested spans or traces and evaluate them in the
 * background. Ingestion never waits for it: a periodic scan reads traces written since the rule's
 * watermark (traces.updated_at), claims the matching and sampled targets, and enqueues one durable job
 * per target; the job runs the evaluator and stores the judgment as a score.
 */
public final class OnlineEvalService {
    static final String SCAN = "monitoring.online.scan";
    static final String EVALUATE = "monitoring.online.evaluate";
    static final String BACKFILL = "monitoring.online.backfill";
    private static final Logger LOG = LoggerFactory.getLogger(OnlineEvalService.class);
    private static final int SCAN_PAGE = 500;

    private final Jdbi jdbi;
    private final OnlineEvalStore store;
    private final EvaluatorService evaluators;
    private final ScoreService scores;
    private final JobQueue jobs;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration settle;
    private final Periodic scanner;

    public OnlineEvalService(Database database, EvaluatorService evaluators, ScoreService scores, JobQueue jobs,
                             AuditLog audit, Clock clock, Duration interval, Duration settle) {
        this.jdbi = database.jdbi();
        this.store = new OnlineEvalStore(database.jdbi());
        this.evaluators = evaluators;
        this.scores = scores;
        this.jobs = jobs;
        this.audit = audit;
        this.clock = clock;
        this.settle = settle;
        this.scanner = new Periodic(SCAN, interval, jobs, database, clock, () -> !store.activeRules().isEmpty());
    }

    /** Registers the job handlers; call before the queue starts. */
    public void register() {
        jobs.register(EVALUATE, this::evaluate);
        jobs.register(BACKFILL, this::backfill);
        scanner.register(this::scan);
    }

    /** A rule as created or changed through the API; null fields keep their value on update. */
    public record RuleInput(String name, String evaluator, String target, RuleFilter filter, Double samplingRate,
                            Double dailyBudget, Boolean paused, Boolean clearBudget) {
    }

    /** A rule with how many targets it picked, by status (queued, scored, skipped_budget, ...). */
    public record RuleView(OnlineRule rule, Map<String, Long> evaluations, double spentToday) {
    }

    public List<RuleView> list(String projectId) {
        return store.rules(projectId).stream().map(this::view).toList();
    }

    public RuleView get(String projectId, String idOrName) {
        return view(jdbi.withHandle(h -> find(h, projectId, idOrName)));
    }

    private RuleView view(OnlineRule rule) {
        return new RuleView(rule, store.statusCounts(rule.id()), store.spentSince(rule.id(), startOfDay()));
    }

    public OnlineRule create(String projectId, RuleInput in, Principal actor) {
        String name = requireName(in.name());
        Instant now = clock.instant();
        OnlineRule rule = validated(projectId, new OnlineRule(Ids.newId(), name, in.evaluator(),
                in.target() == null ? "span" : in.target(), in.filter() == null ? RuleFilter.ANY : in.filter(),
                in.samplingRate() == null ? 1.0 : in.samplingRate(), in.dailyBudget(),
                Boolean.TRUE.equals(in.paused()), now, now));
        jdbi.useTransaction(h -> {
            if (store.rule(h, projectId, name).isPresent()) {
                throw ApiException.conflict("an online rule named '" + name + "' exists");
            }
            // New rules look at traffic from now on; use a backfill for the past.
            store.insert(h, projectId, rule, now.toEpochMilli());
            audit.record(h, projectId, actor.actorLabel(), "online_rule.create", "online_rule", rule.id(),
                    Map.of("name", name, "evaluator", rule.evaluatorName()));
        });
        scanner.poke();
        return rule;
    }

    public OnlineRule update(String projectId, String idOrName, RuleInput in, Principal actor) {
        OnlineRule updated = jdbi.inTransaction(h -> {
            OnlineRule old = find(h, projectId, idOrName);
            Double budget = Boolean.TRUE.equals(in.clearBudget()) ? null
                    : in.dailyBudget() != null ? in.dailyBudget() : old.dailyBudget();
            OnlineRule rule = validated(projectId, new OnlineRule(old.id(), old.name(),
                    in.evaluator() != null ? in.evaluator() : old.evaluatorName(),
                    in.target() != null ? in.target() : old.target(), in.filter() != null ? in.filter() : old.filter(),
                    in.samplingRate() != null ? in.samplingRate() : old.samplingRate(), budget,
                    in.paused() != null ? in.paused() : old.paused(), old.createdAt(), clock.instant()));
            if (old.paused() && !rule.paused()) {
                // Resuming does not evaluate what arrived while paused (backfill does).
                store.setWatermark(h, rule.id(), clock.millis());
            }
            store.update(h, projectId, rule);
            audit.record(h, projectId, actor.actorLabel(), rule.paused() ? "online_rule.pause" : "online_rule.update",
                    "online_rule", rule.id(), Map.of("name", rule.name()));
            return rule;
        });
        scanner.poke();
        return updated;
    }

    public void delete(String projectId, String idOrName, Principal actor) {
        jdbi.useTransaction(h -> {
            OnlineRule rule = find(h, projectId, idOrName);
            store.delete(h, projectId, rule.id());
            audit.record(h, projectId, actor.actorLabel(), "online_rule.delete", "online_rule", rule.id(),
                    Map.of("name", rule.name()));
        });
    }

    /** Evaluates a rule's sample of the traces that started in [from, to), in the background. */
    public void startBackfill(String projectId, String idOrName, Instant from, Instant to, Principal actor) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw ApiException.invalid("from and to (ISO-8601, from before to) are required");
        }
        jdbi.useTransaction(h -> {
            OnlineRule rule = find(h, projectId, idOrName);
            jobs.enqueue(h, BACKFILL, Json.mapper().createObjectNode().put("ruleId", rule.id())
                    .put("from", from.toEpochMilli()).put("to", to.toEpochMilli()).toString(), clock.instant(),
                    JobQueue.DEFAULT_MAX_ATTEMPTS);
            audit.record(h, projectId, actor.actorLabel(), "online_rule.backfill", "online_rule", rule.id(),
                    Map.of("from", from.toString(), "to", to.toString()));
        });
    }

    /** One pass over every active rule; public so that tests and the CLI can run it on demand. */
    public void scan() {
        long upTo = clock.millis() - settle.toMillis();
        for (OnlineEvalStore.Owned owned : store.activeRules()) {
            try {
                scanRule(owned.projectId(), owned.rule(), upTo);
            } catch (RuntimeException e) {
                LOG.warn("online rule {} scan failed", owned.rule().id(), e);
            }
        }
    }

    private void scanRule(String projectId, OnlineRule rule, long upTo) {
        boolean more = true;
        while (more) {
            more = jdbi.inTransaction(h -> {
                long watermark = store.watermark(h, rule.id());
                List<OnlineEvalStore.TraceRow> traces = store.tracesUpdated(h, projectId, watermark, upTo, SCAN_PAGE);
                if (traces.isEmpty()) {
                    return false;
                }
                pick(h, projectId, rule, traces);
                long last = traces.getLast().updatedAt();
                boolean full = traces.size() == SCAN_PAGE;
                // A full page may cut a group of equal write times: re-read that time next (claims are idempotent).
                store.setWatermark(h, rule.id(), full && last - 1 > watermark ? last - 1 : last);
                return full;
            });
        }
    }

    /** Claims the matching, sampled targets among these traces and enqueues their evaluation. */
    private int pick(Handle h, String projectId, OnlineRule rule, List<OnlineEvalStore.TraceRow> traces) {
        Map<String, List<OnlineEvalStore.SpanRow>> spans = new HashMap<>();
        for (OnlineEvalStore.SpanRow s : store.spansOf(h, projectId, traces.stream().map(
                OnlineEvalStore.TraceRow::id).toList())) {
            spans.computeIfAbsent(s.traceId(), t -> new ArrayList<>()).add(s);
        }
        int picked = 0;
        Instant now = clock.instant();
        for (OnlineEvalStore.TraceRow trace : traces) {
            List<OnlineEvalStore.SpanRow> own = spans.getOrDefault(trace.id(), List.of());
            List<String> targets = new ArrayList<>();
            if (rule.target().equals("trace")) {
                if (rule.filter().matches(new RuleFilter.Facts(own.stream().map(OnlineEvalStore.SpanRow::facts)
                        .toList(), trace.tags(), trace.metadata()))) {
                    targets.add(trace.id());
                }
            } else {
                for (OnlineEvalStore.SpanRow s : own) {
                    if (rule.filter().matches(new RuleFilter.Facts(List.of(s.facts()), trace.tags(),
                            trace.metadata()))) {
                        targets.add(s.id());
                    }
                }
            }
            for (String target : targets) {
                if (sampled(rule.id(), target, rule.samplingRate()) && store.claim(h, projectId, rule.id(), target,
                        now)) {
                    jobs.enqueue(h, EVALUATE, Json.mapper().createObjectNode().put("ruleId", rule.id())
                            .put("targetId", target).put("traceId", trace.id()).toString(), now, 3);
                    picked++;
                }
            }
        }
        return picked;
    }

    /**
     * Whether a target is in a rule's sample: a random draw seeded by (rule, target), so the same target
     * always gets the same answer (re-scans and backfills agree) and the share picked is {@code rate}.
     */
    static boolean sampled(String ruleId, String targetId, double rate) {
        if (rate >= 1) {
            return true;
        }
        if (rate <= 0) {
            return false;
        }
        long seed = UUID.nameUUIDFromBytes((ruleId + "\n" + targetId).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
        return new SplittableRandom(seed).nextDouble() < rate;
    }

    private void backfill(Job job) throws Exception {
        JsonNode payload = Json.mapper().readTree(job.payload());
        var owned = store.ruleById(payload.path("ruleId").asText());
        if (owned.isEmpty()) {
            return;
        }
        String projectId = owned.get().projectId();
        OnlineRule rule = owned.get().rule();
        Instant from = Instant.ofEpochMilli(payload.path("from").asLong());
        Instant to = Instant.ofEpochMilli(payload.path("to").asLong());
        String afterId = "";
        long afterStart = Long.MIN_VALUE;
        while (true) {
            String id = afterId;
            long start = afterStart;
            List<OnlineEvalStore.TraceRow> page = jdbi.inTransaction(h -> {
                List<OnlineEvalStore.TraceRow> rows = store.tracesStarted(h, projectId, from, to, id, start,
                        SCAN_PAGE);
                pick(h, projectId, rule, rows);
                return rows;
            });
            if (page.size() < SCAN_PAGE) {
                return;
            }
            afterId = page.getLast().id();
            afterStart = page.getLast().updatedAt();
        }
    }

    private void evaluate(Job job) throws Exception {
        JsonNode payload = Json.mapper().readTree(job.payload());
        String ruleId = payload.path("ruleId").asText();
        String targetId = payload.path("targetId").asText();
        String traceId = payload.path("traceId").asText(null);
        var owned = store.ruleById(ruleId);
        if (owned.isEmpty()) {
            return;
        }
        String projectId = owned.get().projectId();
        OnlineRule rule = owned.get().rule();
        if (rule.paused()) {
            store.finish(ruleId, targetId, "skipped_paused", null, null, null, clock.instant());
            return;
        }
        var evaluator = evaluators.find(projectId, rule.evaluatorName(), null);
        if (evaluator.isEmpty()) {
            store.finish(ruleId, targetId, "error", null, null, "evaluator '" + rule.evaluatorName()
                    + "' does not exist", clock.instant());
            return;
        }
        boolean judge = evaluator.get().kind() == EvaluatorKind.LLM;
        if (judge && rule.dailyBudget() != null && store.spentSince(ruleId, startOfDay()) >= rule.dailyBudget()) {
            store.finish(ruleId, targetId, "skipped_budget", null, null, "daily budget of $" + rule.dailyBudget()
                    + " reached", clock.instant());
            return;
        }
        boolean trace = rule.target().equals("trace");
        var data = trace ? store.trace(projectId, targetId) : store.span(projectId, traceId, targetId);
        if (data.isEmpty()) {
            store.finish(ruleId, targetId, "error", null, null, "the " + rule.target() + " no longer exists",
                    clock.instant());
            return;
        }
        Judgment judgment;
        try {
            judgment = evaluators.run(projectId, evaluator.get(), input(data.get()));
        } catch (RuntimeException e) {
            // A broken evaluator is recorded, not retried forever; ingestion never sees it.
            LOG.warn("online rule {} could not evaluate {}", rule.name(), targetId, e);
            judgment = Judgment.error(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Judgment result = judgment;
        Evaluator used = evaluator.get();
        // The score and the evaluation's status in one write transaction: fewer writer-lock turns on SQLite.
        jdbi.useTransaction(h -> {
            Score score = scores.record(h, projectId, new ScoreService.NewScore(trace ? TargetType.TRACE
                    : TargetType.SPAN, targetId, used.name(), used.version(), result.value(), result.passed(),
                    result.reason(), result.error() ? result.errorMessage() : null, used.kind().scoreSource(),
                    result.cost()), "online rule " + rule.name());
            store.finish(h, ruleId, targetId, result.error() ? "error" : "scored", score.id(), result.cost(),
                    result.error() ? result.errorMessage() : null, clock.instant());
        });
    }

    private static EvalInput input(OnlineEvalStore.TargetData d) {
        String input = Texts.of(d.input(), true);
        Map<String, Object> inputs = new HashMap<>();
        if (input != null) {
            inputs.put("input", input);
            inputs.put("question", input);
        }
        Map<String, Object> metadata = OnlineEvalStore.parse(d.metadata(), new TypeReference<Map<String, Object>>() {
        }, new HashMap<>());
        return new EvalInput(Texts.of(d.output(), false), null, inputs, null, metadata, d.latencyMs(), d.cost(),
                d.tokens(), null);
    }

    private OnlineRule find(Handle h, String projectId, String idOrName) {
        return store.rule(h, projectId, idOrName)
                .orElseThrow(() -> ApiException.notFound("online rule " + idOrName));
    }

    private OnlineRule validated(String projectId, OnlineRule r) {
        if (r.evaluatorName() == null || r.evaluatorName().isBlank()) {
            throw ApiException.invalid("evaluator (a saved evaluator's name) is required");
        }
        if (evaluators.find(projectId, r.evaluatorName(), null).isEmpty()) {
            throw ApiException.invalid("evaluator '" + r.evaluatorName() + "' does not exist");
        }
        if (!r.target().equals("span") && !r.target().equals("trace")) {
            throw ApiException.invalid("target must be span or trace");
        }
        if (!Double.isFinite(r.samplingRate()) || r.samplingRate() < 0 || r.samplingRate() > 1) {
            throw ApiException.invalid("samplingRate must be between 0 and 1");
        }
        if (r.dailyBudget() != null && (!Double.isFinite(r.dailyBudget()) || r.dailyBudget() < 0)) {
            throw ApiException.invalid("dailyBudget must be a non-negative amount in USD");
        }
        if (r.filter().tags().size() > 20 || r.filter().metadata().size() > 20) {
            throw ApiException.invalid("a filter may have at most 20 tags and 20 metadata entries");
        }
        return r;
    }

    private static String requireName(String name) {
        if (name == null || !name.strip().matches("[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}")) {
            throw ApiException.invalid("name is required: 1-100 letters, digits, spaces, '.', '_' or '-'");
        }
        return name.strip();
    }

    private Instant startOfDay() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
