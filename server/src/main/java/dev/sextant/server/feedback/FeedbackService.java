package dev.sextant.server.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.sextant.server.db.Database;
import dev.sextant.server.db.Ids;
import dev.sextant.server.evaluators.JudgmentValue;
import dev.sextant.server.evaluators.ScoreService;
import dev.sextant.server.evaluators.ScoreSource;
import dev.sextant.server.evaluators.TargetType;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Records end-user feedback: validates it, resolves its trace or span in the caller's project, copies the
 * prompt and model, diffs corrections against the output, and mirrors votes and ratings as
 * {@code feedback} scores so they appear with every other judgment.
 */
public final class FeedbackService {
    public static final Set<String> ACTIONS = Set.of("copy", "accept", "edit", "regenerate", "share", "custom");
    public static final int MAX_BATCH = 500;
    public static final int MAX_TEXT = 20_000;
    public static final String VOTE_SCORE = "user-vote";
    public static final String RATING_SCORE = "user-rating";
    private static final int MAX_PER_TRACE = 1_000;

    private final Jdbi jdbi;
    private final FeedbackStore store;
    private final ScoreService scores;
    private final Clock clock;

    public FeedbackService(Database database, ScoreService scores, Clock clock) {
        this.jdbi = database.jdbi();
        this.store = new FeedbackStore(database.jdbi());
        this.scores = scores;
        this.clock = clock;
    }

    /** Records a batch atomically: one invalid item rejects the whole batch. */
    public List<Feedback> record(String projectId, List<FeedbackInput> batch) {
        if (batch.isEmpty() || batch.size() > MAX_BATCH) {
            throw ApiException.invalid("send 1-" + MAX_BATCH + " feedback items");
        }
        return jdbi.inTransaction(h -> {
            List<Feedback> saved = new ArrayList<>();
            for (FeedbackInput input : batch) {
                saved.add(recordOne(h, projectId, input));
            }
            return saved;
        });
    }

    /** Records with an explicit time (demo data and imports). */
    public Feedback record(Handle h, String projectId, FeedbackInput input, Instant at) {
        Feedback f = build(h, projectId, input, at);
        store.insert(h, projectId, f);
        mirrorAsScore(h, projectId, f);
        return f;
    }

    private Feedback recordOne(Handle h, String projectId, FeedbackInput input) {
        return record(h, projectId, input, clock.instant());
    }

    public List<Feedback> forTrace(String projectId, String traceId) {
        return store.forTrace(projectId, traceId, MAX_PER_TRACE);
    }

    /** Aggregates per prompt version or model over a range; see {@link FeedbackSummary}. */
    public FeedbackSummary summary(String projectId, FeedbackSummary.GroupBy groupBy, String promptName,
                                   Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ApiException.invalid("from must be before to");
        }
        return FeedbackSummary.compute(groupBy, from, to, store.inRange(projectId, promptName, from, to),
                store.exposures(projectId, groupBy == FeedbackSummary.GroupBy.MODEL, promptName, from, to));
    }

    private Feedback build(Handle h, String projectId, FeedbackInput in, Instant at) {
        if (in == null) {
            throw ApiException.invalid("feedback must be an object");
        }
        FeedbackKind kind = FeedbackKind.parse(in.kind()).orElseThrow(() -> ApiException.invalid(
                "kind must be one of " + Arrays.stream(FeedbackKind.values()).map(FeedbackKind::id).toList()));
        FeedbackStore.Target target = resolve(h, projectId, in);
        Integer vote = null;
        Double rating = null;
        Double scale = null;
        String action = null;
        String text = null;
        String diff = null;
        Integer delay = null;
        Boolean present = null;
        Double kept = null;
        switch (kind) {
            case VOTE -> {
                String v = in.value() == null ? null : in.value().asText();
                if (!"up".equals(v) && !"down".equals(v)) {
                    throw ApiException.invalid("a vote's value must be \"up\" or \"down\"");
                }
                vote = "up".equals(v) ? 1 : -1;
            }
            case RATING -> {
                scale = in.scale() == null ? 5.0 : in.scale();
                if (!Double.isFinite(scale) || scale <= 0) {
                    throw ApiException.invalid("scale must be a positive number");
                }
                if (in.value() == null || !in.value().isNumber() || in.value().asDouble() < 0
                        || in.value().asDouble() > scale) {
                    throw ApiException.invalid("a rating's value must be a number from 0 to the scale (" + scale + ")");
                }
                rating = in.value().asDouble();
            }
            case ACTION -> {
                if (in.action() == null || !ACTIONS.contains(in.action())) {
                    throw ApiException.invalid("action must be one of copy, accept, edit, regenerate, share, custom");
                }
                action = in.action();
                if (action.equals("custom")) {
                    action = "custom:" + requireText(in.name(), "name (of a custom action)", 100);
                }
            }
            case CORRECTION -> {
                text = requireText(in.text(), "text", MAX_TEXT);
                diff = diff(outputText(target.output()), text);
            }
            case COMMENT -> text = requireText(in.text(), "text", MAX_TEXT);
            case RETENTION -> {
                if (in.delaySeconds() == null || in.delaySeconds() < 0) {
                    throw ApiException.invalid("delaySeconds must be a non-negative integer");
                }
                if (in.present() == null) {
                    throw ApiException.invalid("present (true or false) is required");
                }
                if (in.fractionKept() != null && (!Double.isFinite(in.fractionKept()) || in.fractionKept() < 0
                        || in.fractionKept() > 1)) {
                    throw ApiException.invalid("fractionKept must be between 0 and 1");
                }
                delay = in.delaySeconds();
                present = in.present();
                kept = in.fractionKept() != null ? in.fractionKept() : (present ? 1.0 : 0.0);
            }
            default -> throw new IllegalStateException(kind.id());
        }
        String endUser = in.endUserId() == null || in.endUserId().isBlank() ? null
                : requireText(in.endUserId(), "endUserId", 200);
        return new Feedback(Ids.newId(), target.traceId(), target.spanId(), kind, vote, rating, scale, action, text,
                diff, delay, present, kept, endUser, target.promptName(), target.promptVersion(), target.model(), at);
    }

    private FeedbackStore.Target resolve(Handle h, String projectId, FeedbackInput in) {
        boolean hasSpan = in.spanId() != null && !in.spanId().isBlank();
        boolean hasTrace = in.traceId() != null && !in.traceId().isBlank();
        if (!hasSpan && !hasTrace) {
            throw ApiException.invalid("traceId or spanId is required");
        }
        if (hasSpan) {
            if (!hasTrace) {
                throw ApiException.invalid("traceId is required with spanId: a span id is unique only within its trace");
            }
            FeedbackStore.Target span = store.span(h, projectId, in.traceId().strip(), in.spanId().strip())
                    .orElseThrow(() -> ApiException.notFound("span " + in.spanId() + " in trace " + in.traceId()));
            // A span with no prompt or model of its own takes the trace's.
            if (span.promptName() == null && span.model() == null) {
                FeedbackStore.Target trace = store.trace(h, projectId, span.traceId()).orElseThrow();
                return new FeedbackStore.Target(span.traceId(), span.spanId(), span.output(), trace.promptName(),
                        trace.promptVersion(), trace.model());
            }
            return span;
        }
        return store.trace(h, projectId, in.traceId().strip())
                .orElseThrow(() -> ApiException.notFound("trace " + in.traceId()));
    }

    private void mirrorAsScore(Handle h, String projectId, Feedback f) {
        TargetType type = f.spanId() == null ? TargetType.TRACE : TargetType.SPAN;
        String targetId = f.spanId() == null ? f.traceId() : f.spanId();
        String author = f.endUserId() == null ? "end user" : "end user " + f.endUserId();
        if (f.kind() == FeedbackKind.VOTE) {
            scores.record(h, projectId, new ScoreService.NewScore(type, targetId, VOTE_SCORE, null,
                    new JudgmentValue.Bool(f.vote() > 0), f.vote() > 0, null, null, ScoreSource.FEEDBACK, null), author);
        } else if (f.kind() == FeedbackKind.RATING) {
            scores.record(h, projectId, new ScoreService.NewScore(type, targetId, RATING_SCORE, null,
                    new JudgmentValue.Num(f.rating() / f.scale()), null, "rated " + f.rating() + " of " + f.scale(),
                    null, ScoreSource.FEEDBACK, null), author);
        }
    }

    /** The output as plain text: a JSON string's content, anything else as JSON. */
    static String outputText(String storedJson) {
        if (storedJson == null) {
            return "";
        }
        try {
            JsonNode node = Json.mapper().readTree(storedJson);
            return node.isTextual() ? node.asText() : node.toPrettyString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return storedJson;
        }
    }

    static String diff(String original, String edited) {
        List<String> left = original.lines().toList();
        List<String> right = edited.lines().toList();
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff("output", "correction", left,
                DiffUtils.diff(left, right), 2);
        return String.join("\n", lines);
    }

    private static String requireText(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field + " is required");
        }
        if (value.length() > max) {
            throw ApiException.invalid(field + " must have at most " + max + " characters");
        }
        return value;
    }
}
