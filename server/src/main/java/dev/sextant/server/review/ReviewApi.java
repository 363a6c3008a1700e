package dev.sextant.server.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.evaluators.TargetType;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** REST routes for review queues, reviewing, and judge calibration. */
public final class ReviewApi {
    private final ReviewService reviews;
    private final CalibrationService calibration;

    public ReviewApi(ReviewService reviews, CalibrationService calibration) {
        this.reviews = reviews;
        this.calibration = calibration;
    }

    public void register(Routes routes) {
        routes.api("GET /api/review/queues", Access.READ, "List review queues with their progress", this::list);
        routes.api("POST /api/review/queues", Access.EDIT, "Create a review queue (human evaluators, reviewers per "
                + "item, lock duration, optional sampling rule)", this::create);
        routes.api("GET /api/review/queues/{name}", Access.READ, "A review queue with its progress per reviewer",
                ctx -> ctx.json(withProgress(ctx, reviews.queue(projectId(ctx), ctx.pathParam("name")))));
        routes.api("DELETE /api/review/queues/{name}", Access.EDIT, "Delete a review queue (its scores stay)", ctx -> {
            reviews.delete(projectId(ctx), ctx.pathParam("name"), Authenticator.principal(ctx));
            ctx.status(204);
        });
        routes.api("POST /api/review/queues/{name}/items", Access.EDIT, "Add targets: {targetType, ids} (a span "
                + "as traceId:spanId) or {filter} (the filters of GET /api/traces)", this::add);
        routes.api("GET /api/review/queues/{name}/items", Access.READ, "Items of a queue (?status=open|done)",
                this::items);
        routes.api("DELETE /api/review/queues/{name}/items/{itemId}", Access.EDIT, "Remove an item from a queue "
                + "(the scores of its reviews stay)", ctx -> {
                    reviews.removeItem(projectId(ctx), ctx.pathParam("name"), ctx.pathParam("itemId"),
                            Authenticator.principal(ctx));
                    ctx.status(204);
                });
        routes.api("POST /api/review/queues/{name}/next", Access.EDIT, "Take the next item: it is locked to you for "
                + "the queue's lock duration (204 when nothing is left for you)", this::next);
        routes.api("POST /api/review/queues/{name}/items/{itemId}/review", Access.EDIT, "Submit your answers for an "
                + "item you hold; optionally add it to a dataset with a corrected output", this::review);
        routes.api("POST /api/review/queues/{name}/items/{itemId}/skip", Access.EDIT, "Skip an item (you are not "
                + "offered it again)", ctx -> ctx.json(reviews.skip(projectId(ctx), ctx.pathParam("name"),
                ctx.pathParam("itemId"), Authenticator.principal(ctx))));
        routes.api("GET /api/evaluators/{name}/calibration", Access.READ, "Agreement of an LLM or code evaluator "
                + "with human verdicts: rate, Cohen's kappa, confusion matrix, disagreements",
                ctx -> ctx.json(calibration.calibrate(projectId(ctx), ctx.pathParam("name"))));
    }

    record QueueRequest(String name, String instructions, List<ReviewQueue.QueueEvaluator> evaluators,
                        Integer reviewersPerItem, Integer lockSeconds, ReviewQueue.Sampling sampling) {
    }

    private ReviewService.QueueSummary withProgress(Context ctx, ReviewQueue queue) {
        return new ReviewService.QueueSummary(queue, reviews.progress(projectId(ctx), queue));
    }

    private void list(Context ctx) {
        ctx.json(new PageOf<>(reviews.queues(projectId(ctx)).stream().map(q -> withProgress(ctx, q)).toList(), null));
    }

    private void create(Context ctx) {
        QueueRequest r = Requests.json(ctx, QueueRequest.class);
        ctx.status(201).json(reviews.create(projectId(ctx), new ReviewService.NewQueue(r.name(), r.instructions(),
                r.evaluators(), r.reviewersPerItem(), r.lockSeconds(), r.sampling()), Authenticator.principal(ctx)));
    }

    record AddRequest(String targetType, List<String> ids, Map<String, String> filter) {
    }

    private void add(Context ctx) {
        AddRequest r = Requests.json(ctx, AddRequest.class);
        ctx.json(reviews.add(projectId(ctx), ctx.pathParam("name"), new ReviewService.Targets(
                r.targetType() == null ? null : targetType(r.targetType()), r.ids(), r.filter()),
                Authenticator.principal(ctx)));
    }

    private void items(Context ctx) {
        String status = ctx.queryParam("status");
        Boolean done = status == null || status.isBlank() ? null : switch (status) {
            case "open" -> false;
            case "done" -> true;
            default -> throw ApiException.badRequest("status must be open or done");
        };
        ctx.json(reviews.items(projectId(ctx), ctx.pathParam("name"), done, ctx.queryParam("cursor"),
                Requests.limit(ctx)));
    }

    private void next(Context ctx) {
        reviews.next(projectId(ctx), ctx.pathParam("name"), Authenticator.principal(ctx).actorLabel())
                .ifPresentOrElse(item -> {
                    ReviewService.ItemContext c = reviews.context(projectId(ctx), item);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("item", item);
                    body.put("traceId", c.traceId());
                    body.put("input", c.input());
                    body.put("output", c.output());
                    body.put("expected", c.expected());
                    ctx.json(body);
                }, () -> ctx.status(204));
    }

    /** {"answers": {"evaluator": {"questionId": value}}, "notes", "correctedOutput", "dataset"}. */
    record ReviewRequest(Map<String, Map<String, JsonNode>> answers, String notes, String correctedOutput,
                         String dataset) {
    }

    private void review(Context ctx) {
        ReviewRequest r = Requests.json(ctx, ReviewRequest.class);
        if (r.answers() == null) {
            throw ApiException.invalid("answers is required: {\"<evaluator>\": {\"<questionId>\": value}}");
        }
        Map<String, Map<String, List<String>>> forms = new LinkedHashMap<>();
        r.answers().forEach((evaluator, answers) -> {
            Map<String, List<String>> form = new LinkedHashMap<>();
            if (answers != null) {
                answers.forEach((question, value) -> {
                    if (value != null && !value.isValueNode()) {
                        throw ApiException.invalid("answers." + evaluator + "." + question
                                + " must be a boolean, a number or a category");
                    }
                    form.put("answer_" + question, value == null || value.isNull() ? List.of() : List.of(value.asText()));
                });
            }
            if (r.notes() != null) {
                form.put("notes", List.of(r.notes()));
            }
            forms.put(evaluator, form);
        });
        ctx.json(reviews.submit(Authenticator.project(ctx), ctx.pathParam("name"), ctx.pathParam("itemId"),
                new ReviewService.Submission(forms, r.correctedOutput(), r.dataset()), Authenticator.principal(ctx)));
    }

    static TargetType targetType(String raw) {
        try {
            return TargetType.valueOf(raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("targetType must be trace, span or experiment_item");
        }
    }

    private static String projectId(Context ctx) {
        return Authenticator.project(ctx).id();
    }
}
