package dev.sextant.server.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.datasets.Dataset;
import dev.sextant.server.datasets.DatasetItem;
import dev.sextant.server.datasets.DatasetService;
import dev.sextant.server.db.Ids;
import dev.sextant.server.evaluators.EvalInput;
import dev.sextant.server.evaluators.Evaluator;
import dev.sextant.server.evaluators.EvaluatorKind;
import dev.sextant.server.evaluators.EvaluatorService;
import dev.sextant.server.evaluators.Judgment;
import dev.sextant.server.evaluators.ScoreService;
import dev.sextant.server.evaluators.TargetType;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.jobs.JobQueue;
import dev.sextant.server.projects.Project;
import dev.sextant.server.prompts.PromptService;
import dev.sextant.server.prompts.PromptVersion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/** Creates experiments, accepts external outputs, runs evaluators on outputs, cancels and reads results. */
public final class ExperimentService {
    public static final String JOB_KIND = "experiment.run";
    static final int MAX_TARGETS = 10;
    static final int MAX_EVALUATORS = 20;
    static final int MAX_REPETITIONS = 20;
    static final int MAX_CONCURRENCY = 64;
    static final int DEFAULT_CONCURRENCY = 4;
    static final int MAX_OUTPUTS_PER_POST = 1_000;
    static final int MAX_OUTPUT_CHARS = 200_000;
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String AUTHOR = "experiment";

    private final Jdbi jdbi;
    private final ExperimentStore store;
    private final DatasetService datasets;
    private final PromptService prompts;
    private final EvaluatorService evaluators;
    private final ScoreService scores;
    private final JobQueue jobs;
    private final AuditLog audit;
    private final Clock clock;

    public ExperimentService(Jdbi jdbi, DatasetService datasets, PromptService prompts, EvaluatorService evaluators,
                             ScoreService scores, JobQueue jobs, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.store = new ExperimentStore(jdbi);
        this.datasets = datasets;
        this.prompts = prompts;
        this.evaluators = evaluators;
        this.scores = scores;
        this.jobs = jobs;
        this.audit = audit;
        this.clock = clock;
    }

    ExperimentStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    /** A created experiment; {@code items} lists the dataset items when a run has an external target. */
    public record Created(Experiment experiment, List<ExternalItem> items) {
    }

    /** An item an external target has to answer (every repetition of it). */
    public record ExternalItem(String itemId, JsonNode input, JsonNode messages, JsonNode expectedOutput,
                               JsonNode metadata) {
    }

    public Created create(Project project, Principal actor, NewExperiment request) {
        if (request == null) {
            throw ApiException.invalid("a body with dataset, targets and evaluators is required");
        }
        if (request.dataset() == null || request.dataset().isBlank()) {
            throw ApiException.invalid("dataset (a dataset name) is required");
        }
        Dataset dataset = findDataset(project, request.dataset());
        int version;
        try {
            version = datasets.resolveVersion(dataset, request.datasetVersion());
        } catch (ApiException e) {
            throw ApiException.invalid("dataset '" + dataset.name() + "' has no version " + request.datasetVersion());
        }
        List<DatasetItem> items = datasets.allItems(dataset, version);
        if (items.isEmpty()) {
            throw ApiException.invalid("version " + version + " of dataset '" + dataset.name() + "' has no items; "
                    + "add items first");
        }
        List<Target> targets = request.targets() == null ? List.of() : request.targets();
        if (targets.isEmpty() || targets.size() > MAX_TARGETS) {
            throw ApiException.invalid("targets must hold 1-" + MAX_TARGETS + " targets");
        }
        List<Target> pinned = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            pinned.add(pin(project, targets.get(i), "targets[" + i + "]"));
        }
        List<EvaluatorRef> refs = resolveEvaluators(project.id(), request.evaluators());
        int repetitions = bounded(request.repetitions(), 1, 1, MAX_REPETITIONS, "repetitions");
        int concurrency = bounded(request.concurrency(), DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY, "concurrency");
        String name = request.name() == null || request.name().isBlank()
                ? dataset.name() + " v" + version : request.name().strip();
        if (name.length() > 200) {
            throw ApiException.invalid("name must have at most 200 characters");
        }
        Experiment experiment = new Experiment(Ids.newId(), name, dataset.name(), version, refs, repetitions,
                concurrency, Boolean.TRUE.equals(request.cache()), Status.QUEUED, actor.actorLabel(), clock.instant(),
                null, List.of());
        List<String> itemIds = items.stream().map(DatasetItem::id).toList();
        jdbi.useTransaction(h -> {
            store.insert(h, project.id(), dataset.id(), experiment);
            for (int i = 0; i < pinned.size(); i++) {
                Target target = pinned.get(i);
                Run run = new Run(Ids.newId(), experiment.id(), i, target.name(), target, Status.QUEUED, null, null,
                        null, null);
                store.insertRun(h, project.id(), run);
                store.insertItems(h, project.id(), run.id(), itemIds, repetitions);
                if (!target.external()) {
                    enqueue(h, run.id());
                }
            }
            audit.record(h, project.id(), actor.actorLabel(), "experiment.create", "experiment", experiment.id(),
                    Map.of("name", name, "dataset", dataset.name(), "datasetVersion", version,
                            "runs", pinned.stream().map(Target::name).toList()));
        });
        List<ExternalItem> external = pinned.stream().anyMatch(Target::external)
                ? items.stream().map(i -> new ExternalItem(i.id(), i.input(), i.messages(), i.expectedOutput(),
                        i.metadata())).toList()
                : List.of();
        return new Created(get(project, experiment.id()), external);
    }

    private void enqueue(org.jdbi.v3.core.Handle h, String runId) {
        jobs.enqueue(h, JOB_KIND, Json.write(Map.of("runId", runId)), clock.instant(), JobQueue.DEFAULT_MAX_ATTEMPTS);
    }

    private Dataset findDataset(Project project, String name) {
        try {
            return datasets.get(project, name.strip());
        } catch (ApiException e) {
            throw ApiException.invalid("dataset '" + name + "' does not exist in this project");
        }
    }

    private Target pin(Project project, Target target, String where) {
        if (target == null || target.type() == null) {
            throw ApiException.invalid(where + ".type must be prompt or external");
        }
        if (target.name() != null && target.name().length() > 200) {
            throw ApiException.invalid(where + ".name must have at most 200 characters");
        }
        if (target.external()) {
            return new Target(Target.EXTERNAL, null, null, null, null,
                    target.name() == null || target.name().isBlank() ? "external" : target.name().strip());
        }
        if (!Target.PROMPT.equals(target.type())) {
            throw ApiException.invalid(where + ".type must be prompt or external");
        }
        if (target.prompt() == null || target.prompt().isBlank()) {
            throw ApiException.invalid(where + ".prompt (a prompt name) is required");
        }
        if (target.label() != null && !target.label().isBlank() && target.version() != null) {
            throw ApiException.invalid(where + ": give label or version, not both");
        }
        PromptVersion version;
        try {
            version = prompts.get(project, target.prompt().strip(), blankToNull(target.label()), target.version());
        } catch (ApiException e) {
            throw ApiException.invalid(where + ": " + e.getMessage());
        }
        Target.ModelOverride model = target.model();
        String modelName = model != null && model.name() != null ? model.name()
                : version.model() == null ? null : version.model().name();
        String provider = model != null && model.provider() != null ? model.provider()
                : version.model() == null ? null : version.model().provider();
        if (provider == null || provider.isBlank() || modelName == null || modelName.isBlank()) {
            throw ApiException.invalid(where + ": prompt " + version.name() + " v" + version.version()
                    + " names no model; give model.provider and model.name");
        }
        String display = version.name() + "@v" + version.version() + " · " + modelName;
        return new Target(Target.PROMPT, version.name(), blankToNull(target.label()), version.version(),
                model, target.name()).pinned(version.version(), display);
    }

    private List<EvaluatorRef> resolveEvaluators(String projectId, List<JsonNode> requested) {
        List<JsonNode> list = requested == null ? List.of() : requested;
        if (list.size() > MAX_EVALUATORS) {
            throw ApiException.invalid("at most " + MAX_EVALUATORS + " evaluators");
        }
        Map<String, EvaluatorRef> refs = new LinkedHashMap<>();
        for (JsonNode node : list) {
            String name;
            Integer version = null;
            if (node != null && node.isTextual()) {
                name = node.textValue();
            } else if (node != null && node.isObject() && node.path("name").isTextual()) {
                name = node.path("name").textValue();
                if (node.hasNonNull("version")) {
                    if (!node.get("version").canConvertToInt() || node.get("version").intValue() < 1) {
                        throw ApiException.invalid("evaluator version must be a whole number, 1 or more");
                    }
                    version = node.get("version").intValue();
                }
            } else {
                throw ApiException.invalid("each evaluator is a name or {\"name\", \"version\"}");
            }
            Evaluator evaluator = evaluators.find(projectId, name.strip(), version).orElseThrow(() ->
                    ApiException.invalid("evaluator '" + name + "' does not exist in this project"));
            if (evaluator.kind() == EvaluatorKind.HUMAN) {
                throw ApiException.invalid("evaluator '" + name + "' is a human rubric; experiments run code and "
                        + "LLM evaluators");
            }
            refs.put(evaluator.name(), new EvaluatorRef(evaluator.name(), evaluator.version()));
        }
        return List.copyOf(refs.values());
    }

    public Experiment get(Project project, String id) {
        return store.experiment(project.id(), id).orElseThrow(() -> ApiException.notFound("experiment " + id));
    }

    public PageOf<Experiment> list(Project project, String cursor, int limit) {
        List<Experiment> page = store.list(project.id(), blankToNull(cursor), limit + 1);
        boolean more = page.size() > limit;
        List<Experiment> data = more ? page.subList(0, limit) : page;
        return new PageOf<>(data, more ? data.getLast().id() : null);
    }

    public Run run(Project project, String experimentId, String runId) {
        return get(project, experimentId).runs().stream().filter(r -> r.id().equals(runId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("run " + runId + " of experiment " + experimentId));
    }

    public PageOf<RunItem> items(Project project, String experimentId, String runId, String cursor, int limit) {
        run(project, experimentId, runId);
        List<RunItem> page = store.items(runId, blankToNull(cursor), limit + 1);
        boolean more = page.size() > limit;
        List<RunItem> data = more ? page.subList(0, limit) : page;
        return new PageOf<>(data, more ? data.getLast().id() : null);
    }

    /** Every item of a run with its judgments; the run must belong to the project. */
    public List<RunItem> allItems(Project project, String runId) {
        if (!store.projectOfRun(runId).map(project.id()::equals).orElse(false)) {
            throw ApiException.notFound("run " + runId);
        }
        return store.allItems(runId);
    }

    /** The experiment a run of this project belongs to. */
    public Experiment experimentOfRun(Project project, String runId) {
        if (!store.projectOfRun(runId).map(project.id()::equals).orElse(false)) {
            throw ApiException.notFound("run " + runId);
        }
        return store.experimentOfRun(runId).orElseThrow(() -> ApiException.notFound("run " + runId));
    }

    public Experiment cancel(Project project, Principal actor, String id) {
        Experiment experiment = get(project, id);
        if (experiment.status().finished()) {
            throw ApiException.conflict("experiment is already " + experiment.status().id());
        }
        jdbi.useTransaction(h -> {
            store.setStatus(h, id, Status.CANCELLED, clock.instant());
            store.cancelRuns(h, id, clock.instant());
            audit.record(h, project.id(), actor.actorLabel(), "experiment.cancel", "experiment", id, Map.of());
        });
        return get(project, id);
    }

    /**
     * Deletes a finished experiment: its runs, items, judgments and comments. The traces its runs
     * logged stay (they are logs like any other). Refused while it runs (cancel it first) and while
     * review queues hold its items, whose human decisions would be lost.
     */
    public void delete(Project project, Principal actor, String id) {
        Experiment experiment = get(project, id);
        if (!experiment.status().finished()) {
            throw ApiException.conflict("experiment is " + experiment.status().id() + "; cancel it first");
        }
        jdbi.useTransaction(h -> {
            int reviewed = store.reviewItemsOf(h, project.id(), id);
            if (reviewed > 0) {
                throw ApiException.conflict((reviewed == 1 ? "1 item of this experiment is" : reviewed
                        + " items of this experiment are") + " in review queues; their human decisions would be lost "
                        + "(remove the items from the queues first)");
            }
            store.delete(h, project.id(), id);
            audit.record(h, project.id(), actor.actorLabel(), "experiment.delete", "experiment", id,
                    Map.of("name", experiment.name(), "dataset", experiment.datasetName()));
        });
    }

    /** Accepted outputs of an external run; evaluators run in the background. */
    public record Accepted(int accepted, int alreadyDone) {
    }

    public Accepted postOutputs(Project project, String experimentId, String runId, List<ExternalOutput> outputs) {
        Experiment experiment = get(project, experimentId);
        Run run = run(project, experimentId, runId);
        if (!run.target().external()) {
            throw ApiException.conflict("run " + runId + " runs a prompt on the server; only external runs take outputs");
        }
        if (experiment.status().finished()) {
            throw ApiException.conflict("experiment is " + experiment.status().id());
        }
        if (outputs == null || outputs.isEmpty() || outputs.size() > MAX_OUTPUTS_PER_POST) {
            throw ApiException.invalid("outputs must hold 1-" + MAX_OUTPUTS_PER_POST + " outputs");
        }
        List<Map.Entry<RunItem, RunItem>> updates = new ArrayList<>();
        int alreadyDone = 0;
        for (int i = 0; i < outputs.size(); i++) {
            ExternalOutput out = outputs.get(i);
            String where = "outputs[" + i + "]";
            if (out == null || out.itemId() == null || out.itemId().isBlank()) {
                throw ApiException.invalid(where + ".itemId is required");
            }
            int repetition = out.repetition() == null ? 1 : out.repetition();
            RunItem row = store.item(runId, out.itemId(), repetition).orElseThrow(() -> ApiException.invalid(where
                    + ": item " + out.itemId() + " (repetition " + repetition + ") is not part of this run"));
            if (!row.status().equals(ExperimentStore.PENDING)) {
                alreadyDone++;
                continue;
            }
            if (out.output() == null && (out.error() == null || out.error().isBlank())) {
                throw ApiException.invalid(where + ": output or error is required");
            }
            if (out.output() != null && out.output().length() > MAX_OUTPUT_CHARS) {
                throw ApiException.invalid(where + ".output must have at most " + MAX_OUTPUT_CHARS + " characters");
            }
            String traceId = out.traceId() == null ? newTraceId() : out.traceId().toLowerCase(java.util.Locale.ROOT);
            if (!TRACE_ID.matcher(traceId).matches()) {
                throw ApiException.invalid(where + ".traceId must be 32 hex characters");
            }
            if ((out.latencyMs() != null && out.latencyMs() < 0) || (out.costUsd() != null
                    && (!Double.isFinite(out.costUsd()) || out.costUsd() < 0))
                    || (out.inputTokens() != null && out.inputTokens() < 0)
                    || (out.outputTokens() != null && out.outputTokens() < 0)) {
                throw ApiException.invalid(where + ": latencyMs, costUsd and tokens must not be negative");
            }
            updates.add(Map.entry(row, new RunItem(row.id(), row.itemId(), repetition, null, out.output(), traceId,
                    out.latencyMs(), out.inputTokens(), out.outputTokens(), out.costUsd(),
                    out.error() == null || out.error().isBlank() ? null : truncate(out.error()), false, List.of())));
        }
        int accepted = jdbi.inTransaction(h -> {
            int n = 0;
            for (Map.Entry<RunItem, RunItem> update : updates) {
                if (store.saveOutput(h, update.getKey().id(), update.getValue(), false, clock.instant())) {
                    n++;
                }
            }
            if (n > 0) {
                store.setStatus(h, experimentId, Status.RUNNING, null);
                h.createUpdate("UPDATE experiment_runs SET status = 'running', started_at = COALESCE(started_at, :at) "
                        + "WHERE id = :id AND status = 'queued'").bind("at", clock.instant()).bind("id", runId).execute();
                enqueue(h, runId);
            }
            return n;
        });
        return new Accepted(accepted, alreadyDone + (updates.size() - accepted));
    }

    /** What the experiment's evaluators judged about an answered item (not stored yet). */
    List<Map.Entry<Evaluator, Judgment>> judge(String projectId, List<Evaluator> pinned, RunItem item,
                                               DatasetItem source) {
        EvalInput input = new EvalInput(item.output(), text(source.expectedOutput()), map(source.input()),
                source.input() != null && source.input().path("context").isTextual()
                        ? source.input().path("context").textValue() : null,
                map(source.metadata()), item.latencyMs(), item.cost(),
                item.inputTokens() == null && item.outputTokens() == null ? null
                        : (long) (nz(item.inputTokens()) + nz(item.outputTokens())),
                null);
        List<Map.Entry<Evaluator, Judgment>> judgments = new ArrayList<>();
        for (Evaluator evaluator : pinned) {
            Judgment judgment;
            try {
                judgment = evaluators.run(projectId, evaluator, input);
            } catch (RuntimeException e) {
                judgment = Judgment.error(truncate(e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            judgments.add(Map.entry(evaluator, judgment));
        }
        return judgments;
    }

    /**
     * A finished item, ready to store: the target's answer for a pending item ({@code answered}), or null
     * for a posted output that was only judged; and the judgments.
     */
    record Completion(RunItem item, RunItem answered, List<Map.Entry<Evaluator, Judgment>> judgments) {
    }

    /**
     * Stores finished items in one transaction (group commit): each item's output and its judgments as
     * scores. An item another worker finished first is skipped, so nothing is stored twice.
     */
    void complete(String projectId, List<Completion> completions) {
        jdbi.useTransaction(h -> {
            for (Completion c : completions) {
                boolean mine = c.answered() != null
                        ? store.saveOutput(h, c.item().id(), c.answered(), true, clock.instant())
                        : store.markDone(h, c.item().id(), clock.instant());
                if (!mine) {
                    continue;
                }
                for (Map.Entry<Evaluator, Judgment> entry : c.judgments()) {
                    Evaluator e = entry.getKey();
                    Judgment j = entry.getValue();
                    scores.record(h, projectId, e, new ScoreService.NewScore(TargetType.EXPERIMENT_ITEM, c.item().id(),
                            e.name(), e.version(), j.value(), j.passed(), j.reason(), j.error()
                            ? (j.errorMessage() == null ? "evaluation failed" : j.errorMessage()) : null,
                            e.kind().scoreSource(), j.cost()), AUTHOR);
                }
            }
        });
    }

    /** Marks the run completed when every item is done, and the experiment when every run finished. */
    void finishIfDone(String experimentId, String runId) {
        if (store.countUnfinished(runId) > 0) {
            return;
        }
        jdbi.useTransaction(h -> store.finishRun(h, runId, Status.COMPLETED, null, clock.instant()));
        finishExperimentIfDone(experimentId);
    }

    void failRun(String experimentId, String runId, String error) {
        jdbi.useTransaction(h -> store.finishRun(h, runId, Status.FAILED, truncate(error), clock.instant()));
        finishExperimentIfDone(experimentId);
    }

    private void finishExperimentIfDone(String experimentId) {
        List<Run> runs = store.runs(experimentId);
        if (runs.stream().allMatch(r -> r.status().finished())) {
            Status status = runs.stream().anyMatch(r -> r.status() == Status.FAILED) ? Status.FAILED
                    : runs.stream().anyMatch(r -> r.status() == Status.CANCELLED) ? Status.CANCELLED : Status.COMPLETED;
            jdbi.useTransaction(h -> store.setStatus(h, experimentId, status, clock.instant()));
        }
    }

    List<Evaluator> pinnedEvaluators(String projectId, Experiment experiment) {
        return experiment.evaluators().stream().map(ref -> evaluators.get(projectId, ref.name(), ref.version()))
                .toList();
    }

    Map<String, DatasetItem> datasetItems(Project project, Experiment experiment) {
        Dataset dataset = datasets.get(project, experiment.datasetName());
        Map<String, DatasetItem> byId = new LinkedHashMap<>();
        datasets.forEachPage(dataset, experiment.datasetVersion(), page -> page.forEach(i -> byId.put(i.id(), i)));
        return byId;
    }

    PromptVersion promptVersion(Project project, Target target) {
        return prompts.get(project, target.prompt(), null, target.version());
    }

    /** Whether a run item (experiment_items id) exists in the project: for comment targets. */
    public boolean itemExists(String projectId, String rowId) {
        return store.itemExists(projectId, rowId);
    }

    /** The UI link of a run item (its row on the run page), or null when it does not exist. */
    public String itemLink(String projectSlug, String rowId) {
        return store.locate(rowId).map(ids -> "/p/" + projectSlug + "/experiments/" + ids[0] + "/runs/" + ids[1]
                + "#item-" + rowId).orElse(null);
    }

    static String newTraceId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : Json.write(node);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode node) {
        return node == null || !node.isObject() ? Map.of() : Json.mapper().convertValue(node, Map.class);
    }

    private static int nz(Integer value) {
        return value == null ? 0 : value;
    }

    static String truncate(String text) {
        if (text == null) {
            return null;
        }
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int bounded(Integer value, int fallback, int min, int max, String field) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ApiException.invalid(field + " must be between " + min + " and " + max);
        }
        return v;
    }
}
