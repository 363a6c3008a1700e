package dev.sextant.server.traces;

import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.db.Database;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.PageOf;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Trace rules: field caps and cost at ingestion, the hand-off to the group-commit writer, and
 * project-scoped queries.
 */
public final class TraceService implements AutoCloseable {
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_NATIVE_ITEMS = 10_000;

    private final Database database;
    private final TraceStore store;
    /**
     * Each project's price overrides, read at most every few seconds: ingestion and every gateway call
     * price with them. Changes made here apply at once; another server's after the expiry.
     */
    private final com.github.benmanes.caffeine.cache.LoadingCache<String, Map<String, ModelPrice>> priceOverrides;
    private final TraceWriters writers;
    private final Pricing pricing;
    private final FieldCap cap;
    private final OtlpMapper otlp;
    private final AuditLog audit;
    private final Clock clock;

    public TraceService(Database database, AuditLog audit, Clock clock, int queueSpans, int maxFieldBytes) {
        this.database = database;
        this.store = new TraceStore(database.jdbi(), database.dialect());
        this.priceOverrides = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(5)).maximumSize(10_000).build(store::priceOverrides);
        this.writers = new TraceWriters(database, clock, queueSpans, 5_000);
        this.pricing = new Pricing();
        this.cap = new FieldCap(maxFieldBytes);
        this.otlp = new OtlpMapper(cap);
        this.audit = audit;
        this.clock = clock;
    }

    /** The result of an ingestion: how many spans were stored and why others were not. */
    public record Ingested(int spans, int traces, int rejected, String rejectReason) {
    }

    /** Maps and stores an OTLP export; returns once the spans are committed. */
    public Ingested ingest(String projectId, ExportTraceServiceRequest request) {
        OtlpMapper.Result mapped = otlp.map(request);
        write(projectId, mapped.spans(), mapped.traces());
        return new Ingested(mapped.spans().size(), 0, mapped.rejected(), mapped.rejectReason());
    }

    /** Validates and stores a native batch; invalid items are reported, the others stored. */
    public IngestRequest.Result ingest(String projectId, IngestRequest request) {
        List<IngestRequest.Rejection> errors = new ArrayList<>();
        List<TracePatch> traces = new ArrayList<>();
        List<SpanRecord> spans = new ArrayList<>();
        List<IngestRequest.TraceIn> traceItems = request.traces() == null ? List.of() : request.traces();
        List<IngestRequest.SpanIn> spanItems = request.spans() == null ? List.of() : request.spans();
        if (traceItems.size() + spanItems.size() > MAX_NATIVE_ITEMS) {
            throw ApiException.invalid("at most " + MAX_NATIVE_ITEMS + " traces and spans per request");
        }
        for (int i = 0; i < traceItems.size(); i++) {
            IngestRequest.TraceIn t = traceItems.get(i);
            String id = t == null ? null : hexId(t.id());
            if (id == null) {
                errors.add(new IngestRequest.Rejection("trace", i, "id must be 8 to 32 hex characters"));
                continue;
            }
            int explicit = (t.name() != null ? TracePatch.NAME : 0) | (t.input() != null ? TracePatch.INPUT : 0)
                    | (t.output() != null ? TracePatch.OUTPUT : 0);
            traces.add(new TracePatch(id, t.name(), t.sessionId(), t.userId(),
                    t.tags() == null ? null : Json.write(new java.util.LinkedHashSet<>(t.tags())), json(t.metadata()),
                    json(t.input()), json(t.output()), explicit));
        }
        for (int i = 0; i < spanItems.size(); i++) {
            IngestRequest.SpanIn s = spanItems.get(i);
            String problem = s == null ? "span is null" : spanProblem(s);
            if (problem != null) {
                errors.add(new IngestRequest.Rejection("span", i, problem));
                continue;
            }
            IngestRequest.Usage u = s.usage() == null ? new IngestRequest.Usage(null, null, null, null) : s.usage();
            SpanKind kind = SpanKind.parse(s.kind());
            spans.add(new SpanRecord(hexId(s.id()), hexId(s.traceId()), s.parentId() == null ? null : hexId(s.parentId()),
                    kind == null ? null : kind.id(), s.name(), json(s.input()), json(s.output()), s.model(),
                    s.provider(), json(s.params()), u.input(), u.output(), u.cached(), u.reasoning(), s.cost(),
                    s.startTime(), s.endTime(), s.status() == null ? null : s.status().toLowerCase(java.util.Locale.ROOT),
                    s.error(), json(s.attributes()), s.promptName(), s.promptVersion()));
        }
        write(projectId, spans, traces);
        return new IngestRequest.Result(traces.size(), spans.size(), errors);
    }

    private static String spanProblem(IngestRequest.SpanIn s) {
        if (hexId(s.id()) == null) {
            return "id must be 8 to 32 hex characters";
        }
        if (hexId(s.traceId()) == null) {
            return "traceId must be 8 to 32 hex characters";
        }
        if (s.parentId() != null && hexId(s.parentId()) == null) {
            return "parentId must be 8 to 32 hex characters";
        }
        if (s.kind() != null && SpanKind.parse(s.kind()) == null) {
            return "kind must be one of llm, tool, retrieval, embedding, chain, agent, guardrail, evaluator, event, other";
        }
        if (s.status() != null && !s.status().equalsIgnoreCase("ok") && !s.status().equalsIgnoreCase("error")) {
            return "status must be ok or error";
        }
        return null;
    }

    /** A lower-case hex id of 8 to 32 characters, or null when {@code id} is not one. */
    static String hexId(String id) {
        if (id == null || id.length() < 8 || id.length() > 32) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.digit(id.charAt(i), 16) < 0) {
                return null;
            }
        }
        return id.toLowerCase(java.util.Locale.ROOT);
    }

    private static String json(com.fasterxml.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }

    /** Stores spans and trace facts (already validated); returns once they are committed. */
    public void write(String projectId, List<SpanRecord> spans, List<TracePatch> traces) {
        if (spans.isEmpty() && traces.isEmpty()) {
            return;
        }
        try {
            submit(projectId, spans, traces).get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TraceWriter.QueueFullException e) {
            throw new ApiException(429, "queue_full", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "interrupted while waiting for the commit");
        } catch (ExecutionException | TimeoutException e) {
            throw new ApiException(503, "unavailable", "could not store the spans; retry later");
        }
    }

    /**
     * Queues spans and trace facts without waiting for the commit (for the server's own spans, such
     * as gateway calls, whose callers must not wait). Throws at once
     * when the queue is full; the returned future fails if the commit does.
     */
    public java.util.concurrent.CompletableFuture<Void> submit(String projectId, List<SpanRecord> spans,
                                                               List<TracePatch> traces) {
        Map<String, ModelPrice> overrides = null;
        Map<String, Optional<ModelPrice>> byModel = new java.util.HashMap<>();
        List<SpanRecord> ready = new ArrayList<>(spans.size());
        for (SpanRecord span : spans) {
            if (span.cost() == null && span.model() != null
                    && (span.inputTokens() != null || span.outputTokens() != null)) {
                Map<String, ModelPrice> own = overrides = overrides == null ? priceOverrides.get(projectId) : overrides;
                Optional<ModelPrice> price = byModel.computeIfAbsent(span.model(), m -> pricing.find(m, own));
                if (price.isPresent()) {
                    span = span.withCost(Pricing.cost(price.get(), span.inputTokens(), span.outputTokens(),
                            span.cachedTokens()));
                }
            }
            ready.add(capped(span));
        }
        List<TracePatch> cappedTraces = traces.stream().map(this::capped).toList();
        return writers.submit(new IngestBatch(projectId, ready, cappedTraces));
    }

    /** The price of {@code model} in this project: its override, else the shipped table. */
    public Optional<ModelPrice> price(String projectId, String model) {
        return model == null ? Optional.empty() : pricing.find(model, priceOverrides.get(projectId));
    }

    private SpanRecord capped(SpanRecord s) {
        return new SpanRecord(s.id(), s.traceId(), s.parentId(), s.kind(), cap.text(s.name()), cap.json(s.input()),
                cap.json(s.output()), cap.text(s.model()), cap.text(s.provider()), cap.json(s.params()),
                s.inputTokens(), s.outputTokens(), s.cachedTokens(), s.reasoningTokens(), s.cost(), s.startTime(),
                s.endTime(), s.status(), cap.text(s.error()), cap.json(s.attributes()), cap.text(s.promptName()),
                s.promptVersion());
    }

    private TracePatch capped(TracePatch t) {
        return new TracePatch(t.id(), cap.text(t.name()), cap.text(t.sessionId()), cap.text(t.userId()),
                cap.json(t.tags()), cap.json(t.metadata()), cap.json(t.input()), cap.json(t.output()),
                t.explicitFields());
    }

    public PageOf<Trace> traces(String projectId, TraceQuery query) {
        List<Trace> rows = store.traces(projectId, query, cursor(query.cursor(), query.sort() == TraceQuery.Sort.COST));
        String next = null;
        if (rows.size() > query.limit()) {
            rows = rows.subList(0, query.limit());
            Trace last = rows.getLast();
            String value = switch (query.sort()) {
                case TIME -> Long.toString(last.startTime().toEpochMilli());
                case LATENCY -> Long.toString(last.latencyMs());
                case COST -> Double.toString(last.cost());
            };
            next = encode(value, last.id());
        }
        return new PageOf<>(rows, next);
    }

    public PageOf<Span> spans(String projectId, SpanQuery query) {
        List<TraceStore.SpanRow> rows = store.spans(projectId, query, cursor(query.cursor(), false));
        String next = null;
        if (rows.size() > query.limit()) {
            rows = rows.subList(0, query.limit());
            TraceStore.SpanRow last = rows.getLast();
            next = encode(Long.toString(last.sortTime()), last.span().id());
        }
        return new PageOf<>(rows.stream().map(TraceStore.SpanRow::span).toList(), next);
    }

    public Optional<TraceDetail> trace(String projectId, String traceId) {
        return store.trace(projectId, traceId).map(t -> new TraceDetail(t, tree(store.spansOf(projectId, traceId))));
    }

    /** One span of a trace (without children). */
    public Optional<Span> span(String projectId, String traceId, String spanId) {
        return store.spansOf(projectId, traceId).stream().filter(s -> s.id().equals(spanId)).findFirst();
    }

    /** The spans as a tree: roots (and orphans whose parent is missing) in start order. */
    static List<Span> tree(List<Span> flat) {
        Map<String, Span> byId = new LinkedHashMap<>();
        flat.forEach(s -> byId.put(s.id(), s.withChildren()));
        List<Span> roots = new ArrayList<>();
        for (Span s : byId.values()) {
            Span parent = s.parentId() == null || s.parentId().equals(s.id()) ? null : byId.get(s.parentId());
            if (parent == null) {
                roots.add(s);
            } else {
                parent.children().add(s);
            }
        }
        return roots;
    }

    public List<Trace> session(String projectId, String sessionId) {
        return store.session(projectId, sessionId, 1000);
    }

    public List<ModelPrice> prices(String projectId) {
        return pricing.effective(priceOverrides.get(projectId));
    }

    public ModelPrice putPrice(String projectId, ModelPrice price, Principal actor) {
        ModelPrice stored = new ModelPrice(price.model().trim(), price.inputPerMillion(), price.outputPerMillion(),
                price.cachedPerMillion(), "project");
        database.jdbi().useTransaction(h -> {
            store.putPrice(h, projectId, stored, clock.instant());
            audit.record(h, projectId, actor.actorLabel(), "pricing.update", "model", stored.model(),
                    Map.of("input", stored.inputPerMillion(), "output", stored.outputPerMillion()));
        });
        priceOverrides.invalidate(projectId);
        return stored;
    }

    public boolean deletePrice(String projectId, String model, Principal actor) {
        boolean deleted = database.jdbi().inTransaction(h -> {
            int rows = store.deletePrice(h, projectId, model);
            if (rows > 0) {
                audit.record(h, projectId, actor.actorLabel(), "pricing.delete", "model", model, Map.of());
            }
            return rows > 0;
        });
        priceOverrides.invalidate(projectId);
        return deleted;
    }

    /** Deletes every project's traces older than its retention; returns how many. */
    public int enforceRetention() {
        Instant now = clock.instant();
        int deleted = 0;
        for (Map.Entry<String, Integer> project : store.retentionDays().entrySet()) {
            deleted += store.deleteBefore(project.getKey(), now.minus(Duration.ofDays(project.getValue())));
        }
        return deleted;
    }

    private static TraceStore.Cursor cursor(String cursor, boolean decimal) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int sep = decoded.indexOf('|');
            String value = decoded.substring(0, sep);
            return new TraceStore.Cursor(decimal ? Double.valueOf(value) : Long.valueOf(value),
                    decoded.substring(sep + 1));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("invalid cursor");
        }
    }

    private static String encode(String value, String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((value + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        writers.close();
    }
}
