package dev.sextant.server.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.datasets.DatasetService;
import dev.sextant.server.datasets.LoggedExample;
import dev.sextant.server.db.Database;
import dev.sextant.server.db.Ids;
import dev.sextant.server.evaluators.Evaluator;
import dev.sextant.server.evaluators.EvaluatorKind;
import dev.sextant.server.evaluators.EvaluatorService;
import dev.sextant.server.evaluators.Judgment;
import dev.sextant.server.evaluators.Rubric;
import dev.sextant.server.evaluators.ScoreService;
import dev.sextant.server.evaluators.TargetType;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.projects.Project;
import dev.sextant.server.traces.Span;
import dev.sextant.server.traces.Trace;
import dev.sextant.server.traces.TraceDetail;
import dev.sextant.server.traces.TraceService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Review queues: define them, fill them, and let reviewers claim, judge and skip items. */
public final class ReviewService {
    static final int MAX_IDS = 1_000;
    static final int MAX_FILTERED = 5_000;
    private static final int SAMPLE_PAGE = 1_000;
    /** Longer than any trace commit takes: writes this recent are looked at again by the next run. */
    private static final java.time.Duration COMMIT_MARGIN = java.time.Duration.ofSeconds(30);
    static final int DEFAULT_LOCK_SECONDS = 600;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final ReviewStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final EvaluatorService evaluators;
    private final ScoreService scores;
    private final TraceService traces;
    private final DatasetService datasets;
    private final ReviewSampler sampler;

    public ReviewService(Database database, AuditLog audit, Clock clock, EvaluatorService evaluators,
                         ScoreService scores, TraceService traces, DatasetService datasets, ReviewSampler sampler) {
        this.store = new ReviewStore(database);
        this.audit = audit;
        this.clock = clock;
        this.evaluators = evaluators;
        this.scores = scores;
        this.traces = traces;
        this.datasets = datasets;
        this.sampler = sampler;
    }

    /** Registers the sampling job; the composition root calls it once, before the job queue starts. */
    public void registerSampling() {
        sampler.register(this::sample, () -> !store.sampledQueues().isEmpty(), store.jdbi());
    }

    ReviewStore store() {
        return store;
    }

    /** A queue to create; null numbers take their defaults. */
    public record NewQueue(String name, String instructions, List<ReviewQueue.QueueEvaluator> evaluators,
                           Integer reviewersPerItem, Integer lockSeconds, ReviewQueue.Sampling sampling) {
    }

    public ReviewQueue create(String projectId, NewQueue q, Principal actor) {
        if (q.name() == null || !NAME.matcher(q.name().strip()).matches()) {
            throw ApiException.invalid("name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit");
        }
        String name = q.name().strip();
        if (q.instructions() != null && q.instructions().length() > 10_000) {
            throw ApiException.invalid("instructions must have at most 10000 characters");
        }
        if (q.evaluators() == null || q.evaluators().isEmpty() || q.evaluators().size() > 10) {
            throw ApiException.invalid("evaluators must list 1 to 10 human evaluators");
        }
        List<ReviewQueue.QueueEvaluator> links = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ReviewQueue.QueueEvaluator e : q.evaluators()) {
            if (e == null || e.name() == null || e.name().isBlank()) {
                throw ApiException.invalid("every evaluator needs a name");
            }
            Evaluator human = evaluators.find(projectId, e.name().strip(), null).orElseThrow(() ->
                    ApiException.invalid("evaluator '" + e.name() + "' does not exist; create a human evaluator first"));
            if (human.kind() != EvaluatorKind.HUMAN) {
                throw ApiException.invalid("evaluator '" + human.name() + "' is a " + human.kind().id()
                        + " evaluator; queues need human evaluators (rubrics)");
            }
            if (!seen.add(human.name())) {
                throw ApiException.invalid("evaluator '" + human.name() + "' is listed twice");
            }
            String calibrates = e.calibrates() == null || e.calibrates().isBlank() ? null : e.calibrates().strip();
            if (calibrates != null) {
                Evaluator judge = evaluators.find(projectId, calibrates, null).orElseThrow(() ->
                        ApiException.invalid("calibrates: evaluator '" + calibrates + "' does not exist"));
                if (judge.kind() == EvaluatorKind.HUMAN) {
                    throw ApiException.invalid("calibrates must name an LLM or code evaluator");
                }
            }
            links.add(new ReviewQueue.QueueEvaluator(human.name(), calibrates));
        }
        int reviewers = q.reviewersPerItem() == null ? 1 : q.reviewersPerItem();
        if (reviewers < 1 || reviewers > 10) {
            throw ApiException.invalid("reviewersPerItem must be 1 to 10");
        }
        int lock = q.lockSeconds() == null ? DEFAULT_LOCK_SECONDS : q.lockSeconds();
        if (lock < 1 || lock > 86_400) {
            throw ApiException.invalid("lockSeconds must be 1 to 86400");
        }
        ReviewQueue.Sampling sampling = q.sampling();
        if (sampling != null) {
            if (!(sampling.rate() > 0 && sampling.rate() <= 1)) {
                throw ApiException.invalid("sampling.rate must be more than 0 and at most 1 (0.1 = 10 %)");
            }
            if (sampling.traceName() != null && sampling.traceName().length() > 200) {
                throw ApiException.invalid("sampling.traceName must have at most 200 characters");
            }
            sampling = new ReviewQueue.Sampling(sampling.traceName() == null || sampling.traceName().isBlank() ? null
                    : sampling.traceName().strip(), sampling.rate());
        }
        ReviewQueue queue = new ReviewQueue(Ids.newId(), name, q.instructions() == null || q.instructions().isBlank()
                ? null : q.instructions().strip(), List.copyOf(links), reviewers, lock, sampling, actor.actorLabel(),
                clock.instant());
        try {
            store.jdbi().useTransaction(h -> {
                store.insertQueue(h, projectId, queue);
                if (queue.sampling() != null) {
                    sampler.ensureScheduled(h);
                }
                audit.record(h, projectId, actor.actorLabel(), "review.queue.create", "review_queue", queue.id(),
                        Map.of("name", name, "evaluators", links.stream().map(ReviewQueue.QueueEvaluator::name).toList()));
            });
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (store.queue(projectId, name).isPresent()) {
                throw ApiException.conflict("a review queue named '" + name + "' already exists");
            }
            throw e;
        }
        return queue;
    }

    /** A queue and how far it is, for lists. */
    public record QueueSummary(ReviewQueue queue, Progress progress) {
    }

    public ReviewQueue queue(String projectId, String name) {
        return store.queue(projectId, name).orElseThrow(() -> ApiException.notFound("review queue '" + name + "'"));
    }

    public List<ReviewQueue> queues(String projectId) {
        return store.queues(projectId);
    }

    public void delete(String projectId, String name, Principal actor) {
        ReviewQueue queue = queue(projectId, name);
        store.jdbi().useTransaction(h -> {
            store.deleteQueue(h, projectId, queue.id());
            audit.record(h, projectId, actor.actorLabel(), "review.queue.delete", "review_queue", queue.id(),
                    Map.of("name", name));
        });
    }

    /** Takes one item out of a queue: its reviews' scores stay, as when the whole queue is deleted. */
    public ReviewItem removeItem(String projectId, String queueName, String itemId, Principal actor) {
        ReviewQueue queue = queue(projectId, queueName);
        return store.jdbi().inTransaction(h -> {
            ReviewItem item = store.item(h, projectId, queue.id(), itemId)
                    .orElseThrow(() -> ApiException.notFound("item " + itemId));
            store.deleteItem(h, projectId, queue.id(), itemId);
            audit.record(h, projectId, actor.actorLabel(), "review.item.remove", "review_item", itemId,
                    Map.of("queue", queueName, "targetType", item.targetType().id(), "targetId", item.targetId()));
            return item;
        });
    }

    public Progress progress(String projectId, ReviewQueue queue) {
        return store.progress(projectId, queue);
    }

    public PageOf<ReviewItem> items(String projectId, String queueName, Boolean done, String cursor, int limit) {
        ReviewQueue queue = queue(projectId, queueName);
        List<ReviewItem> rows = store.items(projectId, queue.id(), done, cursor, limit + 1);
        boolean more = rows.size() > limit;
        List<ReviewItem> page = more ? rows.subList(0, limit) : rows;
        return new PageOf<>(List.copyOf(page), more ? page.getLast().id() : null);
    }

    /** Targets to add: a list of ids, or all traces matching a filter. */
    public record Targets(TargetType targetType, List<String> ids, Map<String, String> filter) {
    }

    public record Added(int added, int requested) {
    }

    public Added add(String projectId, String queueName, Targets targets, Principal actor) {
        ReviewQueue queue = queue(projectId, queueName);
        boolean byIds = targets.ids() != null;
        if (byIds == (targets.filter() != null)) {
            throw ApiException.invalid("give either ids (a list of target ids) or filter (trace filters)");
        }
        TargetType type = targets.targetType() == null ? TargetType.TRACE : targets.targetType();
        List<ItemTarget> ids;
        if (byIds) {
            ids = cleanIds(targets.ids(), type);
            List<String> missing = missing(projectId, type, ids);
            if (!missing.isEmpty()) {
                throw ApiException.invalid("no " + type.id() + " with id " + String.join(", ",
                        missing.subList(0, Math.min(5, missing.size()))) + " in this project");
            }
        } else {
            if (type != TargetType.TRACE) {
                throw ApiException.invalid("a filter selects traces; targetType must be trace");
            }
            ids = matching(projectId, targets.filter()).stream().map(ItemTarget::trace).toList();
        }
        int added = store.jdbi().inTransaction(h -> {
            int n = store.addItems(h, projectId, queue.id(), type, ids, clock.instant());
            audit.record(h, projectId, actor.actorLabel(), "review.items.add", "review_queue", queue.id(),
                    Map.of("name", queue.name(), "targetType", type.id(), "added", n));
            return n;
        });
        return new Added(added, ids.size());
    }

    private static List<ItemTarget> cleanIds(List<String> raw, TargetType type) {
        if (raw.isEmpty() || raw.size() > MAX_IDS) {
            throw ApiException.invalid("ids must list 1 to " + MAX_IDS + " target ids");
        }
        Set<ItemTarget> ids = new LinkedHashSet<>();
        for (String id : raw) {
            if (id == null || id.isBlank() || id.length() > 200) {
                throw ApiException.invalid("every id must have 1-200 characters");
            }
            // Trace and span ids are hex and stored lower-case (as the trace API reads them).
            String clean = type == TargetType.EXPERIMENT_ITEM ? id.strip() : id.strip().toLowerCase(Locale.ROOT);
            ids.add(switch (type) {
                case TRACE -> ItemTarget.trace(clean);
                case SPAN -> ItemTarget.span(clean);
                case EXPERIMENT_ITEM -> ItemTarget.experimentItem(clean);
            });
        }
        return List.copyOf(ids);
    }

    private List<String> missing(String projectId, TargetType type, List<ItemTarget> ids) {
        Set<ItemTarget> found = switch (type) {
            case TRACE -> store.existingTraces(projectId, ids);
            case SPAN -> store.existingSpans(projectId, ids);
            // Experiment items live in the experiments feature; their ids are taken as given.
            case EXPERIMENT_ITEM -> Set.copyOf(ids);
        };
        return ids.stream().filter(id -> !found.contains(id)).map(ItemTarget::label).toList();
    }

    private List<String> matching(String projectId, Map<String, String> filter) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            PageOf<Trace> page = traces.traces(projectId, TraceFilter.query(filter, cursor, 500));
            page.data().forEach(t -> ids.add(t.id()));
            cursor = page.nextCursor();
        } while (cursor != null && ids.size() < MAX_FILTERED);
        if (ids.isEmpty()) {
            throw ApiException.invalid("no traces match the filter");
        }
        return ids.size() > MAX_FILTERED ? ids.subList(0, MAX_FILTERED) : ids;
    }

    /**
     * The reviewer's next item, locked to them for the queue's lock duration: the one they already
     * hold, or the oldest open item nobody holds that they have not reviewed or skipped.
     */
    public Optional<ReviewItem> next(String projectId, String queueName, String reviewer) {
        ReviewQueue queue = queue(projectId, queueName);
        Instant now = clock.instant();
        return store.jdbi().inTransaction(h -> {
            Optional<ReviewItem> held = store.heldBy(h, queue.id(), reviewer, now);
            if (held.isPresent()) {
                return held;
            }
            return store.claim(h, queue.id(), reviewer, now, now.plus(Duration.ofSeconds(queue.lockSeconds())))
                    .flatMap(id -> store.item(h, projectId, queue.id(), id));
        });
    }

    public ReviewItem item(String projectId, String queueName, String itemId) {
        ReviewQueue queue = queue(projectId, queueName);
        return store.item(projectId, queue.id(), itemId).orElseThrow(() -> ApiException.notFound("item " + itemId));
    }

    /**
     * A reviewer's answers: per evaluator name, the rubric form fields ({@code answer_<questionId>},
     * {@code notes}); optionally a corrected output to add to a dataset as the expected output.
     */
    public record Submission(Map<String, Map<String, List<String>>> forms, String correctedOutput, String dataset) {
    }

    public record Reviewed(ReviewItem item, List<dev.sextant.server.evaluators.Score> scores, Integer datasetVersion) {
    }

    public Reviewed submit(Project project, String queueName, String itemId, Submission submission, Principal actor) {
        ReviewQueue queue = queue(project.id(), queueName);
        String reviewer = actor.actorLabel();
        record Answer(Evaluator evaluator, Judgment judgment) {
        }
        List<Answer> answers = new ArrayList<>();
        for (ReviewQueue.QueueEvaluator link : queue.evaluators()) {
            Evaluator e = evaluators.get(project.id(), link.name(), null);
            Map<String, List<String>> form = submission.forms() == null ? null : submission.forms().get(e.name());
            if (form == null) {
                throw ApiException.invalid("answers for evaluator '" + e.name() + "' are missing");
            }
            Judgment j = evaluators.runner().judgeRubric(e.definition(), form);
            if (j.error()) {
                throw ApiException.invalid(e.name() + ": " + j.errorMessage());
            }
            answers.add(new Answer(e, j));
        }
        String dataset = submission.dataset() == null || submission.dataset().isBlank() ? null
                : submission.dataset().strip();
        boolean correcting = submission.correctedOutput() != null && !submission.correctedOutput().isBlank();
        if (correcting && dataset == null) {
            throw ApiException.invalid("choose a dataset for the corrected output");
        }
        if (dataset != null) {
            datasets.get(project, dataset);
        }
        Instant now = clock.instant();
        Reviewed reviewed = store.jdbi().inTransaction(h -> {
            ReviewItem item = store.item(h, project.id(), queue.id(), itemId)
                    .orElseThrow(() -> ApiException.notFound("item " + itemId));
            if (!reviewer.equals(item.lockedBy())) {
                throw ApiException.conflict("this item is not locked to you (its lock expired and another reviewer "
                        + "took it, or you never took it); take the next item");
            }
            if (!store.insertDecision(h, project.id(), item, reviewer, ReviewStore.REVIEWED, now)) {
                throw ApiException.conflict("you already reviewed or skipped this item");
            }
            List<dev.sextant.server.evaluators.Score> recorded = new ArrayList<>();
            for (Answer a : answers) {
                Judgment j = a.judgment();
                recorded.add(scores.record(h, project.id(), new ScoreService.NewScore(item.targetType(), item.targetId(),
                        a.evaluator().name(), a.evaluator().version(), j.value(), j.passed(), j.reason(), null,
                        a.evaluator().kind().scoreSource(), null), reviewer));
            }
            store.release(h, item.id(), true, queue.reviewersPerItem());
            return new Reviewed(store.item(h, project.id(), queue.id(), itemId).orElseThrow(), recorded, null);
        });
        if (dataset == null) {
            return reviewed;
        }
        ItemContext context = context(project.id(), reviewed.item());
        JsonNode expected = correcting ? JsonNodeFactory.instance.textNode(submission.correctedOutput().strip())
                : context.output();
        if (context.traceId() == null) {
            throw ApiException.invalid("only traces and spans can be added to a dataset");
        }
        var change = datasets.addFromLogs(project, dataset, List.of(new LoggedExample(context.traceId(),
                        reviewed.item().targetType() == TargetType.SPAN ? reviewed.item().targetId() : null,
                        asObject(context.input()), null, expected, null)),
                "reviewed in queue " + queue.name() + (correcting ? ", output corrected" : ""), actor);
        return new Reviewed(reviewed.item(), reviewed.scores(), change.version());
    }

    private static ObjectNode asObject(JsonNode input) {
        if (input instanceof ObjectNode object) {
            return object;
        }
        ObjectNode wrapped = Json.mapper().createObjectNode();
        if (input != null && !input.isNull()) {
            wrapped.set("input", input);
        }
        return wrapped;
    }

    /** Gives the item back without a review; the reviewer is not offered it again. */
    public ReviewItem skip(String projectId, String queueName, String itemId, Principal actor) {
        ReviewQueue queue = queue(projectId, queueName);
        String reviewer = actor.actorLabel();
        return store.jdbi().inTransaction(h -> {
            ReviewItem item = store.item(h, projectId, queue.id(), itemId)
                    .orElseThrow(() -> ApiException.notFound("item " + itemId));
            if (!store.insertDecision(h, projectId, item, reviewer, ReviewStore.SKIPPED, clock.instant())) {
                throw ApiException.conflict("you already reviewed or skipped this item");
            }
            if (reviewer.equals(item.lockedBy())) {
                store.release(h, item.id(), false, queue.reviewersPerItem());
            }
            return store.item(h, projectId, queue.id(), itemId).orElseThrow();
        });
    }

    /** What a reviewer sees: the target's input, output and expected output, its trace and LLM spans. */
    public record ItemContext(String traceId, TraceDetail trace, Span span, JsonNode input, JsonNode output,
                              JsonNode expected, List<Span> llmSpans) {
    }

    public ItemContext context(String projectId, ReviewItem item) {
        String traceId = item.traceId();
        TraceDetail detail = traceId == null ? null : traces.trace(projectId, traceId).orElse(null);
        if (detail == null) {
            return new ItemContext(null, null, null, null, null, null, List.of());
        }
        List<Span> flat = new ArrayList<>();
        flatten(detail.spans(), flat);
        Span span = item.targetType() == TargetType.SPAN
                ? flat.stream().filter(s -> s.id().equals(item.targetId())).findFirst().orElse(null) : null;
        List<Span> llm = flat.stream().filter(s -> "llm".equals(s.kind()))
                .filter(s -> span == null || s.id().equals(span.id())).toList();
        JsonNode input = span != null ? span.input() : detail.trace().input();
        JsonNode output = span != null ? span.output() : detail.trace().output();
        JsonNode metadata = detail.trace().metadata();
        JsonNode expected = metadata == null ? null : metadata.get("expected");
        return new ItemContext(traceId, detail, span, input, output, expected, llm);
    }

    private static void flatten(List<Span> spans, List<Span> into) {
        for (Span s : spans) {
            into.add(s);
            if (s.children() != null) {
                flatten(s.children(), into);
            }
        }
    }

    /** The rubric of each of the queue's evaluators, in queue order. */
    public Map<String, Rubric> rubrics(String projectId, ReviewQueue queue) {
        Map<String, Rubric> rubrics = new LinkedHashMap<>();
        for (ReviewQueue.QueueEvaluator link : queue.evaluators()) {
            Evaluator e = evaluators.get(projectId, link.name(), null);
            rubrics.put(e.name(), Json.mapper().convertValue(e.config().get("rubric"), Rubric.class));
        }
        return rubrics;
    }

    /**
     * Adds the queue's share of the traces written since the last run (so a trace that arrives late is
     * still seen) that started after the queue was created. The choice hashes the trace id, so it is
     * stable: a re-run (or another process) picks the same traces. The watermark stays a little behind
     * the present, because a trace committing right now carries a write time from just before.
     */
    public int sample() {
        int added = 0;
        for (ReviewStore.Sampled s : store.sampledQueues()) {
            Instant upTo = clock.instant();
            List<String> picked = new ArrayList<>();
            ReviewStore.Written after = new ReviewStore.Written("", s.sampledUntil());
            List<ReviewStore.Written> page;
            do {
                page = store.tracesWritten(s.projectId(), after, upTo, s.queue().createdAt(),
                        s.queue().sampling().traceName(), SAMPLE_PAGE);
                page.stream().map(ReviewStore.Written::traceId).filter(id -> chosen(id, s.queue().sampling().rate()))
                        .forEach(picked::add);
                after = page.isEmpty() ? after : page.getLast();
            } while (page.size() == SAMPLE_PAGE && picked.size() < MAX_FILTERED);
            Instant watermark = upTo.minus(COMMIT_MARGIN).isAfter(s.sampledUntil())
                    ? upTo.minus(COMMIT_MARGIN) : s.sampledUntil();
            added += store.jdbi().inTransaction(h -> {
                store.setSampledUntil(h, s.queue().id(), watermark);
                return store.addItems(h, s.projectId(), s.queue().id(), TargetType.TRACE,
                        picked.stream().map(ItemTarget::trace).toList(), upTo);
            });
        }
        return added;
    }

    static boolean chosen(String traceId, double rate) {
        long bucket = Integer.toUnsignedLong(traceId.hashCode() * 0x9E3779B9) % 10_000;
        return bucket < Math.round(rate * 10_000);
    }
}
