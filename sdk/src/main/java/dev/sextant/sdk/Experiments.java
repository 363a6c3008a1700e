package dev.sextant.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs your code as the target of a Sextant experiment ("external" target): the server picks the
 * dataset version and pins the evaluators, this client runs the function on every item on a fixed
 * pool, uploads the outputs in batches, waits for the evaluators and returns the scorecard.
 * Unlike telemetry this API is explicit: any failure throws {@link SextantException}.
 */
public final class Experiments {
    static final int MAX_BATCH = 1000;
    private static final int FLUSH_AT = 100;
    private static final long FLUSH_EVERY_NANOS = Duration.ofSeconds(1).toNanos();
    private static final String HEX32 = "[0-9a-fA-F]{32}";

    private final ApiClient api;
    private final Sextant sextant;

    Experiments(ApiClient api, Sextant sextant) {
        this.api = api;
        this.sextant = sextant;
    }

    private record Created(String experimentId, String runId, String name, int datasetVersion,
                           List<DatasetItem> items) {
    }

    private record Work(DatasetItem item, int repetition) {
    }

    public ExperimentResult run(ExperimentSpec spec) {
        long deadline = System.nanoTime() + spec.timeout().toNanos();
        Created created = create(spec);
        try {
            answer(spec, created, deadline);
            sextant.flush();
            Map<String, Object> detail = await(created.experimentId(), deadline);
            return result(created, detail);
        } catch (SextantException e) {
            cancelQuietly(created.experimentId());
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private Created create(ExperimentSpec spec) {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("type", "external");
        if (spec.name() != null) {
            target.put("name", spec.name());
        }
        List<Object> evaluators = new ArrayList<>();
        for (ExperimentSpec.EvaluatorRef ref : spec.evaluators()) {
            evaluators.add(ref.version() == null ? ref.name() : Map.of("name", ref.name(), "version", ref.version()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (spec.name() != null) {
            body.put("name", spec.name());
        }
        body.put("dataset", spec.dataset());
        if (spec.datasetVersion() != null) {
            body.put("datasetVersion", spec.datasetVersion());
        }
        body.put("targets", List.of(target));
        body.put("evaluators", evaluators);
        body.put("repetitions", spec.repetitions());
        body.put("concurrency", spec.concurrency());
        Map<String, Object> response = api.post("/api/experiments", body);
        Map<String, Object> experiment = map(response.get("experiment"));
        List<Object> runs = list(experiment.get("runs"));
        if (runs.isEmpty()) {
            throw new SextantException("the server created experiment " + experiment.get("id") + " without a run");
        }
        List<DatasetItem> items = new ArrayList<>();
        for (Object item : list(response.get("items"))) {
            items.add(DatasetItem.fromJson(map(item), "itemId"));
        }
        return new Created(String.valueOf(experiment.get("id")), String.valueOf(map(runs.get(0)).get("id")),
                String.valueOf(experiment.get("name")), integer(experiment.get("datasetVersion")), items);
    }

    /** Runs the function on every item × repetition and uploads the outputs as they come. */
    private void answer(ExperimentSpec spec, Created created, long deadline) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(spec.concurrency(), r -> {
            Thread t = new Thread(r, "sextant-experiment-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<Map<String, Object>> done = new ExecutorCompletionService<>(pool);
            int pending = 0;
            for (int repetition = 1; repetition <= spec.repetitions(); repetition++) {
                for (DatasetItem item : created.items()) {
                    Work work = new Work(item, repetition);
                    done.submit(() -> call(spec.task(), work));
                    pending++;
                }
            }
            List<Map<String, Object>> batch = new ArrayList<>();
            long lastUpload = System.nanoTime();
            while (pending > 0) {
                if (System.nanoTime() > deadline) {
                    throw new SextantException("experiment " + created.experimentId() + " timed out while the task ran ("
                            + pending + " items left)");
                }
                Future<Map<String, Object>> next = done.poll(200, TimeUnit.MILLISECONDS);
                if (next != null) {
                    batch.add(next.get());
                    pending--;
                }
                boolean due = !batch.isEmpty() && System.nanoTime() - lastUpload > FLUSH_EVERY_NANOS;
                if (batch.size() >= FLUSH_AT || pending == 0 || due) {
                    upload(created, batch);
                    batch.clear();
                    lastUpload = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SextantException("interrupted while running experiment " + created.experimentId(), e);
        } catch (ExecutionException e) {
            throw new SextantException("experiment task failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Object> call(Function<DatasetItem, Output> task, Work work) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("itemId", work.item().id());
        out.put("repetition", work.repetition());
        long start = System.nanoTime();
        String[] traced = new String[1];
        Output output;
        try {
            output = Sextant.capturingTrace(traced, () -> task.apply(work.item()));
            if (output == null || (output.text() == null && output.error() == null)) {
                output = Output.error("the task returned no output");
            }
        } catch (RuntimeException | Error e) {
            output = Output.error(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (output.error() != null) {
            out.put("error", output.error());
        } else {
            out.put("output", output.text());
        }
        String traceId = output.traceId() != null ? output.traceId() : traced[0];
        if (traceId != null && traceId.matches(HEX32) && !traceId.equals("0".repeat(32))) {
            out.put("traceId", traceId);
        }
        out.put("latencyMs", output.latencyMs() != null ? output.latencyMs() : elapsedMs);
        putIfSet(out, "costUsd", output.costUsd());
        putIfSet(out, "inputTokens", output.inputTokens());
        putIfSet(out, "outputTokens", output.outputTokens());
        return out;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private void upload(Created created, List<Map<String, Object>> outputs) {
        for (int from = 0; from < outputs.size(); from += MAX_BATCH) {
            List<Map<String, Object>> chunk = outputs.subList(from, Math.min(outputs.size(), from + MAX_BATCH));
            api.post("/api/experiments/" + created.experimentId() + "/runs/" + created.runId() + "/outputs",
                    Map.of("outputs", chunk));
        }
    }

    /** Polls with backoff (200 ms growing to 2 s) until the experiment finished. */
    private Map<String, Object> await(String experimentId, long deadline) {
        long sleep = 200;
        while (true) {
            Map<String, Object> detail = api.get("/api/experiments/" + experimentId);
            Map<String, Object> experiment = map(detail.get("experiment"));
            String status = String.valueOf(experiment.get("status"));
            if (status.equals("completed")) {
                return detail;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                String reason = list(experiment.get("runs")).stream().map(r -> map(r).get("error"))
                        .filter(e -> e != null).map(String::valueOf).findFirst().orElse("");
                throw new SextantException("experiment " + experimentId + " " + status
                        + (reason.isEmpty() ? "" : ": " + reason));
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sleep) > deadline) {
                throw new SextantException("experiment " + experimentId + " did not complete in time (status "
                        + status + "); it was cancelled");
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SextantException("interrupted while waiting for experiment " + experimentId, e);
            }
            sleep = Math.min(2000, sleep * 3 / 2);
        }
    }

    private void cancelQuietly(String experimentId) {
        try {
            api.post("/api/experiments/" + experimentId + "/cancel", Map.of());
        } catch (SextantException ignored) {
            // already finished, or the server is gone: the original failure is what matters
        }
    }

    private ExperimentResult result(Created created, Map<String, Object> detail) {
        Map<String, Object> experiment = map(detail.get("experiment"));
        Map<String, Object> card = list(detail.get("scorecards")).stream().map(Experiments::map)
                .filter(c -> created.runId().equals(c.get("runId"))).findFirst()
                .orElseThrow(() -> new SextantException("the server returned no scorecard for run " + created.runId()));
        List<ExperimentResult.Criterion> criteria = new ArrayList<>();
        for (Object raw : list(card.get("criteria"))) {
            Map<String, Object> c = map(raw);
            criteria.add(new ExperimentResult.Criterion(String.valueOf(c.get("name")), String.valueOf(c.get("kind")),
                    decimal(c.get("estimate")), decimal(c.get("low")), decimal(c.get("high")), integer(c.get("n")),
                    integer(c.get("errors"))));
        }
        ExperimentResult.Scorecard scorecard = new ExperimentResult.Scorecard(integer(card.get("items")),
                integer(card.get("done")), integer(card.get("errors")), decimal(card.get("costUsd")),
                decimal(card.get("evaluationCostUsd")), decimal(card.get("latencyP50Ms")),
                decimal(card.get("latencyP95Ms")), criteria);
        Map<String, DatasetItem> byId = new LinkedHashMap<>();
        created.items().forEach(item -> byId.put(item.id(), item));
        List<ExperimentResult.ItemResult> items = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = api.get("/api/experiments/" + created.experimentId() + "/runs/"
                    + created.runId() + "/items?limit=500" + (cursor == null ? "" : "&cursor=" + ApiClient.encode(cursor)));
            for (Object raw : list(page.get("data"))) {
                Map<String, Object> row = map(raw);
                List<ExperimentResult.Judgment> judgments = new ArrayList<>();
                for (Object j : list(row.get("judgments"))) {
                    Map<String, Object> judgment = map(j);
                    judgments.add(new ExperimentResult.Judgment(String.valueOf(judgment.get("evaluator")),
                            judgment.get("version") instanceof Number n ? n.intValue() : null, judgment.get("value"),
                            judgment.get("passed") instanceof Boolean b ? b : null, text(judgment.get("reason")),
                            text(judgment.get("error"))));
                }
                String itemId = String.valueOf(row.get("itemId"));
                items.add(new ExperimentResult.ItemResult(byId.getOrDefault(itemId,
                        new DatasetItem(itemId, null, null, null, null)), integer(row.get("repetition")),
                        text(row.get("output")), text(row.get("traceId")),
                        row.get("latencyMs") instanceof Number n ? n.longValue() : null, text(row.get("error")),
                        judgments));
            }
            cursor = text(page.get("nextCursor"));
        } while (cursor != null && !cursor.isEmpty());
        return new ExperimentResult(created.experimentId(), created.runId(), created.name(),
                String.valueOf(experiment.get("datasetName")), created.datasetVersion(), "completed", scorecard, items);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static int integer(Object value) {
        return value instanceof Number n ? n.intValue() : 0;
    }

    private static Double decimal(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
