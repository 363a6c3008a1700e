package dev.sextant.server.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sextant.server.datasets.DatasetItem;
import dev.sextant.server.evaluators.Evaluator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.jobs.Job;
import dev.sextant.server.jobs.JobHandler;
import dev.sextant.server.jobs.JobQueue;
import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ChatRequest;
import dev.sextant.server.models.ChatResult;
import dev.sextant.server.models.GatewayException;
import dev.sextant.server.models.ModelConfig;
import dev.sextant.server.models.ModelGateway;
import dev.sextant.server.models.OutputFormat;
import dev.sextant.server.models.PromptRef;
import dev.sextant.server.models.ToolCall;
import dev.sextant.server.models.ToolDefinition;
import dev.sextant.server.projects.Project;
import dev.sextant.server.projects.ProjectService;
import dev.sextant.server.prompts.PromptContent;
import dev.sextant.server.prompts.PromptMessage;
import dev.sextant.server.prompts.PromptVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable job that works through one run: every item not yet done is answered (prompt target) and
 * judged, at most {@code concurrency} calls in flight under an {@link AimdLimiter}. State lives in the
 * database, so a job resumed after a crash skips finished items; a cancelled experiment stops it.
 */
public final class ExperimentRunner implements JobHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    /** Canonical JSON (sorted keys) of a request: the cache key of identical model calls. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration RATE_LIMIT_PAUSE = Duration.ofSeconds(1);
    private static final int MAX_RATE_LIMITS_PER_ITEM = 8;
    private static final int WRITE_BATCH = 128;

    private final ExperimentService experiments;
    private final ProjectService projects;
    private final ModelGateway gateway;
    private final JobQueue jobs;

    public ExperimentRunner(ExperimentService experiments, ProjectService projects, ModelGateway gateway,
                            JobQueue jobs) {
        this.experiments = experiments;
        this.projects = projects;
        this.gateway = gateway;
        this.jobs = jobs;
    }

    @Override
    public void handle(Job job) throws Exception {
        String runId = Json.read(job.payload(), JsonNode.class).path("runId").asText();
        ExperimentStore store = experiments.store();
        Experiment experiment = store.experimentOfRun(runId).orElse(null);
        String projectId = store.projectOfRun(runId).orElse(null);
        if (experiment == null || projectId == null || experiment.status().finished()) {
            return;
        }
        Run run = experiment.runs().stream().filter(r -> r.id().equals(runId)).findFirst().orElseThrow();
        if (run.status().finished()) {
            return;
        }
        Project project = projects.byId(projectId).orElseThrow();
        experiments.store().jdbi().useTransaction(h -> store.setStatus(h, experiment.id(), Status.RUNNING, null));
        store.startRun(runId, experiments.clock().instant());
        try {
            new Execution(job, project, experiment, run).execute();
        } catch (ApiException e) {
            // The prompt, dataset or an evaluator vanished: retrying will not help.
            experiments.failRun(experiment.id(), runId, e.getMessage());
        } catch (RuntimeException | InterruptedException e) {
            if (job.attempts() >= job.maxAttempts()) {
                experiments.failRun(experiment.id(), runId, "gave up after " + job.attempts() + " attempts: "
                        + e.getMessage());
                return;
            }
            throw e;
        }
    }

    /** One pass over a run's unfinished items. */
    private final class Execution {
        private final Job job;
        private final Project project;
        private final Experiment experiment;
        private final Run run;
        private final AimdLimiter limiter;
        private final Map<String, CompletableFuture<ChatResult>> cache = new ConcurrentHashMap<>();
        private final Map<String, Integer> rateLimits = new ConcurrentHashMap<>();
        private final BlockingQueue<RunItem> queue = new LinkedBlockingQueue<>();
        private final AtomicInteger remaining = new AtomicInteger();
        /** Finished items waiting for the writer, which commits them in batches. */
        private final BlockingQueue<ExperimentService.Completion> finished = new LinkedBlockingQueue<>();
        private volatile boolean cancelled;
        /** Put in the queues to wake their readers at once instead of after a poll timeout. */
        private final RunItem wake = new RunItem(null, null, 0, null, null, null, null, null, null, null, null, false,
                List.of());
        private final ExperimentService.Completion stop = new ExperimentService.Completion(wake, null, List.of());

        Execution(Job job, Project project, Experiment experiment, Run run) {
            this.job = job;
            this.project = project;
            this.experiment = experiment;
            this.run = run;
            this.limiter = new AimdLimiter(experiment.concurrency(), Math.max(4, experiment.concurrency()));
        }

        void execute() throws InterruptedException {
            List<Evaluator> evaluators = experiments.pinnedEvaluators(project.id(), experiment);
            Map<String, DatasetItem> items = experiments.datasetItems(project, experiment);
            PromptVersion prompt = run.target().external() ? null : experiments.promptVersion(project, run.target());
            List<RunItem> todo = experiments.store().unfinished(run.id());
            if (run.target().external()) {
                // External runs: only items whose output was posted can be judged now.
                todo = todo.stream().filter(i -> i.status().equals(ExperimentStore.OUTPUT)).toList();
            }
            queue.addAll(todo);
            remaining.set(todo.size());
            long lastBeat = System.nanoTime();
            long lastCheck = 0;
            Thread writer = Thread.ofVirtual().name("experiment-writer-" + run.id()).start(this::writeLoop);
            try {
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    while (remaining.get() > 0) {
                        if (System.nanoTime() - lastCheck > POLL.toNanos()) {
                            cancelled = experiments.store().experimentStatus(experiment.id()) == Status.CANCELLED;
                            lastCheck = System.nanoTime();
                        }
                        if (cancelled) {
                            break;
                        }
                        if (System.nanoTime() - lastBeat > HEARTBEAT.toNanos()) {
                            jobs.heartbeat(job);
                            lastBeat = System.nanoTime();
                        }
                        RunItem item = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                        if (item == null || item == wake) {
                            continue;
                        }
                        limiter.acquire();
                        pool.submit(() -> process(item, prompt, evaluators, items));
                    }
                }
            } finally {
                // Also on an interrupt: the writer stores what is queued, then ends.
                stopWriter.set(true);
                finished.add(stop);
            }
            writer.join();
            if (cancelled) {
                return;
            }
            // Items left over (interrupted by a shutdown, or failing unexpectedly): let the queue retry the job.
            long left = experiments.store().unfinished(run.id()).stream().filter(i -> !run.target().external()
                    || i.status().equals(ExperimentStore.OUTPUT)).count();
            if (left > 0) {
                throw new IllegalStateException(left + " items of run " + run.id() + " are unfinished; retrying");
            }
            experiments.finishIfDone(experiment.id(), run.id());
        }

        private final java.util.concurrent.atomic.AtomicBoolean stopWriter =
                new java.util.concurrent.atomic.AtomicBoolean();

        /** Group commit: one transaction per batch of finished items, instead of one per item. */
        private void writeLoop() {
            List<ExperimentService.Completion> batch = new ArrayList<>();
            while (!stopWriter.get() || !finished.isEmpty()) {
                try {
                    ExperimentService.Completion first = finished.poll(50, TimeUnit.MILLISECONDS);
                    if (first == null || first == stop) {
                        continue;
                    }
                    batch.add(first);
                    finished.drainTo(batch, WRITE_BATCH - 1);
                    batch.remove(stop);
                    experiments.complete(project.id(), batch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    // The items stay unfinished in the database; the job is retried for them.
                    LOG.warn("storing {} experiment items failed: {}", batch.size(), e.toString());
                } finally {
                    settled(batch.size());
                    batch.clear();
                }
            }
        }

        /** Counts items as settled; the last one wakes the dispatch loop so the run ends without a poll's delay. */
        private void settled(int items) {
            if (items > 0 && remaining.addAndGet(-items) <= 0) {
                queue.add(wake);
            }
        }

        private void process(RunItem item, PromptVersion prompt, List<Evaluator> evaluators,
                             Map<String, DatasetItem> items) {
            boolean released = false;
            try {
                if (cancelled) {
                    limiter.neutral();
                    released = true;
                    return;
                }
                DatasetItem source = items.get(item.itemId());
                if (item.status().equals(ExperimentStore.PENDING)) {
                    RunItem answered;
                    if (source == null) {
                        answered = failed(item, "the dataset item is no longer in this dataset version");
                        limiter.neutral();
                    } else {
                        try {
                            answered = call(item, prompt, source);
                            limiter.success();
                        } catch (GatewayException e) {
                            if (e.status() == 429 && rateLimits.merge(item.id(), 1, Integer::sum)
                                    <= MAX_RATE_LIMITS_PER_ITEM) {
                                limiter.rateLimited();
                                released = true;
                                Thread.sleep(RATE_LIMIT_PAUSE);
                                queue.add(item);
                                return;
                            }
                            limiter.neutral();
                            answered = failed(item, e.code() + ": " + e.getMessage());
                        } catch (ApiException e) {
                            limiter.neutral();
                            answered = failed(item, e.code() + ": " + e.getMessage());
                        }
                    }
                    released = true;
                    // Output and judgments are stored together: an item is either finished or redone whole.
                    finished.add(new ExperimentService.Completion(item, answered, answered.error() == null
                            ? experiments.judge(project.id(), evaluators, answered, source) : List.of()));
                    return;
                } else {
                    limiter.neutral();
                    released = true;
                    if (source != null) {
                        finished.add(new ExperimentService.Completion(item, null,
                                experiments.judge(project.id(), evaluators, item, source)));
                        return;
                    }
                }
                settled(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                settled(1);
            } catch (RuntimeException e) {
                LOG.warn("experiment item {} failed: {}", item.id(), e.toString());
                if (!released) {
                    limiter.neutral();
                }
                settled(1);
            }
        }

        private RunItem failed(RunItem item, String error) {
            return new RunItem(item.id(), item.itemId(), item.repetition(), ExperimentStore.DONE, null,
                    null, null, null, null, null, ExperimentService.truncate(error), false, List.of());
        }

        private RunItem call(RunItem item, PromptVersion prompt, DatasetItem source) {
            ChatRequest request = request(prompt, source);
            String traceId = ExperimentService.newTraceId();
            ChatResult result;
            boolean cached = false;
            if (experiment.cache()) {
                String key = canonical(request);
                CompletableFuture<ChatResult> mine = new CompletableFuture<>();
                CompletableFuture<ChatResult> existing = cache.putIfAbsent(key, mine);
                if (existing == null) {
                    try {
                        mine.complete(gateway.chat(project.id(), withTrace(request, traceId)));
                    } catch (RuntimeException e) {
                        cache.remove(key);
                        mine.completeExceptionally(e);
                    }
                    result = join(mine);
                } else {
                    result = join(existing);
                    cached = true;
                }
            } else {
                result = gateway.chat(project.id(), withTrace(request, traceId));
            }
            String output = result.text() != null && !result.text().isEmpty() ? result.text()
                    : toolCalls(result.toolCalls());
            return new RunItem(item.id(), item.itemId(), item.repetition(), ExperimentStore.OUTPUT, output,
                    traceId, result.latencyMs(), result.usage() == null ? null : result.usage().inputTokens(),
                    result.usage() == null ? null : result.usage().outputTokens(), result.costUsd(), null, cached,
                    List.of());
        }

        private ChatResult join(CompletableFuture<ChatResult> future) {
            try {
                return future.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        private ChatRequest request(PromptVersion prompt, DatasetItem source) {
            Map<String, Object> variables = ExperimentService.map(source.input());
            PromptContent.Rendered rendered = prompt.content().render(variables);
            List<ChatMessage> messages = new ArrayList<>();
            if (rendered.messages() != null) {
                for (PromptMessage m : rendered.messages()) {
                    messages.add(ChatMessage.of(m.role(), m.content()));
                }
            } else {
                messages.add(ChatMessage.of("user", rendered.text()));
            }
            return new ChatRequest(messages, model(prompt.model(), run.target().model()), tools(prompt),
                    new PromptRef(prompt.name(), prompt.version()));
        }
    }

    private static ChatRequest withTrace(ChatRequest request, String traceId) {
        return request.inTrace(traceId).named("experiment");
    }

    private static List<ToolDefinition> tools(PromptVersion prompt) {
        if (prompt.tools() == null || prompt.tools().isEmpty()) {
            return List.of();
        }
        return Json.mapper().convertValue(prompt.tools(),
                Json.mapper().getTypeFactory().constructCollectionType(List.class, ToolDefinition.class));
    }

    /** The prompt's model config with the run's overrides applied. */
    static ModelConfig model(dev.sextant.server.prompts.ModelConfig base, Target.ModelOverride override) {
        dev.sextant.server.prompts.ModelConfig p = base == null
                ? new dev.sextant.server.prompts.ModelConfig(null, null, null, null, null, null, null, null) : base;
        Target.ModelOverride o = override == null ? new Target.ModelOverride(null, null, null, null) : override;
        OutputFormat format = p.responseFormat() == null ? null : responseFormat(p.responseFormat());
        return new ModelConfig(o.provider() != null ? o.provider() : p.provider(),
                o.name() != null ? o.name() : p.name(),
                o.temperature() != null ? o.temperature() : p.temperature(),
                o.maxTokens() != null ? o.maxTokens() : p.maxTokens(), p.topP(), p.stop(),
                p.seed() == null ? null : p.seed().intValue(), format);
    }

    private static OutputFormat responseFormat(JsonNode node) {
        String type = node.path("type").asText("text");
        return switch (type) {
            case "json_object" -> new OutputFormat("json", null, null);
            case "json_schema" -> new OutputFormat("json_schema", node.path("jsonSchema").path("name").asText(null),
                    node.path("jsonSchema").path("schema"));
            default -> null;
        };
    }

    private static String toolCalls(List<ToolCall> calls) {
        StringBuilder sb = new StringBuilder();
        for (ToolCall call : calls) {
            sb.append(call.name()).append('(').append(call.arguments()).append(")\n");
        }
        return sb.toString().strip();
    }

    private static String canonical(ChatRequest request) {
        try {
            return CANONICAL.writeValueAsString(Json.mapper().convertValue(request, Object.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
