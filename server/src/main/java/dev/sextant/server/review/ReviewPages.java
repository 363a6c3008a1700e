package dev.sextant.server.review;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.datasets.DatasetService;
import dev.sextant.server.evaluators.Evaluator;
import dev.sextant.server.evaluators.EvaluatorKind;
import dev.sextant.server.evaluators.EvaluatorService;
import dev.sextant.server.evaluators.TargetType;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.web.PageContext.Section;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The review UI: queues, a queue's progress, the one-item-at-a-time review page, calibration panel. */
public final class ReviewPages {
    private final ReviewService reviews;
    private final CalibrationService calibration;
    private final EvaluatorService evaluators;
    private final DatasetService datasets;
    private final Views views;

    public ReviewPages(ReviewService reviews, CalibrationService calibration, EvaluatorService evaluators,
                       DatasetService datasets, Views views) {
        this.reviews = reviews;
        this.calibration = calibration;
        this.evaluators = evaluators;
        this.datasets = datasets;
        this.views = views;
    }

    public void register(dev.sextant.server.http.Routes routes) {
        routes.page("GET /p/{project}/review", Access.READ, this::list);
        routes.page("POST /p/{project}/review", Access.EDIT, this::create);
        routes.page("GET /p/{project}/review/{queue}", Access.READ, this::queue);
        routes.page("POST /p/{project}/review/{queue}/items", Access.EDIT, this::add);
        routes.page("GET /p/{project}/review/{queue}/next", Access.EDIT, this::next);
        routes.page("GET /p/{project}/review/{queue}/items/{itemId}", Access.EDIT, ctx -> item(ctx, null, 200));
        routes.page("POST /p/{project}/review/{queue}/items/{itemId}", Access.EDIT, this::submit);
        routes.page("POST /p/{project}/review/{queue}/items/{itemId}/skip", Access.EDIT, this::skip);
        routes.page("POST /p/{project}/review/{queue}/items/{itemId}/remove", Access.EDIT, this::remove);
        routes.page("GET /p/{project}/evaluators/{name}/calibration", Access.READ, this::calibration);
    }

    private void list(Context ctx) {
        String project = projectId(ctx);
        List<ReviewService.QueueSummary> queues = reviews.queues(project).stream()
                .map(q -> new ReviewService.QueueSummary(q, reviews.progress(project, q))).toList();
        List<Evaluator> all = evaluators.list(project, null, null, 500).data();
        Map<String, Object> params = new HashMap<>();
        params.put("queues", queues);
        params.put("humans", all.stream().filter(e -> e.kind() == EvaluatorKind.HUMAN).toList());
        params.put("judges", all.stream().filter(e -> e.kind() != EvaluatorKind.HUMAN).toList());
        params.put("error", ctx.queryParam("error"));
        views.page(ctx, "review/queues.jte", "Review", Section.REVIEW, params);
    }

    private void create(Context ctx) {
        List<ReviewQueue.QueueEvaluator> chosen = new ArrayList<>();
        for (String name : ctx.formParams("evaluator")) {
            chosen.add(new ReviewQueue.QueueEvaluator(name, ctx.formParam("calibrates_" + name)));
        }
        try {
            ReviewQueue q = reviews.create(projectId(ctx), new ReviewService.NewQueue(ctx.formParam("name"),
                    ctx.formParam("instructions"), chosen, integer(ctx.formParam("reviewersPerItem")),
                    minutes(ctx.formParam("lockMinutes")), sampling(ctx)), Authenticator.principal(ctx));
            ctx.redirect(queueUrl(ctx, q.name()));
        } catch (ApiException e) {
            if (e.status() >= 500) {
                throw e;
            }
            ctx.redirect(base(ctx) + "?error=" + encode(e.getMessage()));
        }
    }

    private static ReviewQueue.Sampling sampling(Context ctx) {
        String percent = ctx.formParam("samplePercent");
        if (percent == null || percent.isBlank()) {
            return null;
        }
        try {
            return new ReviewQueue.Sampling(ctx.formParam("sampleTraceName"), Double.parseDouble(percent.strip()) / 100);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("the sampling percentage must be a number");
        }
    }

    private static Integer integer(String raw) {
        try {
            return raw == null || raw.isBlank() ? null : Integer.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("reviewers per item must be a whole number");
        }
    }

    private static Integer minutes(String raw) {
        try {
            return raw == null || raw.isBlank() ? null : (int) Math.round(Double.parseDouble(raw.strip()) * 60);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("the lock duration must be a number of minutes");
        }
    }

    private void queue(Context ctx) {
        String project = projectId(ctx);
        ReviewQueue q = reviews.queue(project, ctx.pathParam("queue"));
        Map<String, Object> params = new HashMap<>();
        params.put("queue", q);
        params.put("progress", reviews.progress(project, q));
        params.put("items", reviews.items(project, q.name(), null, ctx.queryParam("cursor"), 100));
        params.put("notice", ctx.queryParam("notice"));
        params.put("error", ctx.queryParam("error"));
        views.page(ctx, "review/queue.jte", q.name(), Section.REVIEW, params);
    }

    private void add(Context ctx) {
        String queue = ctx.pathParam("queue");
        try {
            ReviewService.Targets targets;
            String filter = ctx.formParam("filter");
            if (filter != null) {
                targets = new ReviewService.Targets(TargetType.TRACE, null, parseQuery(filter));
            } else {
                String raw = ctx.formParam("ids");
                List<String> ids = raw == null ? List.of() : Arrays.stream(raw.split("[\\s,]+"))
                        .filter(s -> !s.isBlank()).toList();
                targets = new ReviewService.Targets(ReviewApi.targetType(Optional.ofNullable(
                        ctx.formParam("targetType")).orElse("trace")), ids, null);
            }
            ReviewService.Added added = reviews.add(projectId(ctx), queue, targets, Authenticator.principal(ctx));
            ctx.redirect(queueUrl(ctx, queue) + "?notice=" + encode("Added " + added.added() + " of "
                    + added.requested() + " (the others were already in the queue)"));
        } catch (ApiException e) {
            if (e.status() >= 500 || e.status() == 404) {
                throw e;
            }
            ctx.redirect(queueUrl(ctx, queue) + "?error=" + encode(e.getMessage()));
        }
    }

    /** Reads "name=support-bot&status=error" (a trace list URL's query, with or without "?"). */
    private static Map<String, String> parseQuery(String raw) {
        String query = raw.strip();
        int mark = query.indexOf('?');
        query = mark >= 0 ? query.substring(mark + 1) : query;
        Map<String, String> filter = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!key.equals("sort") && !key.equals("cursor") && !key.equals("limit") && !key.equals("live")) {
                filter.put(key, value);
            }
        }
        return filter;
    }

    private void next(Context ctx) {
        String project = projectId(ctx);
        ReviewQueue q = reviews.queue(project, ctx.pathParam("queue"));
        Optional<ReviewItem> item = reviews.next(project, q.name(), Authenticator.principal(ctx).actorLabel());
        String saved = ctx.queryParam("saved") == null ? "" : "?saved=1";
        if (item.isPresent()) {
            ctx.redirect(queueUrl(ctx, q.name()) + "/items/" + item.get().id() + saved);
            return;
        }
        Map<String, Object> params = new HashMap<>();
        params.put("queue", q);
        params.put("progress", reviews.progress(project, q));
        params.put("saved", !saved.isEmpty());
        views.page(ctx, "review/done.jte", q.name(), Section.REVIEW, params);
    }

    private void item(Context ctx, String error, int status) {
        String project = projectId(ctx);
        ReviewQueue q = reviews.queue(project, ctx.pathParam("queue"));
        ReviewItem item = reviews.item(project, q.name(), ctx.pathParam("itemId"));
        Map<String, Object> params = new HashMap<>();
        params.put("queue", q);
        params.put("item", item);
        params.put("context", reviews.context(project, item));
        params.put("rubrics", reviews.rubrics(project, q));
        params.put("mine", Authenticator.principal(ctx).actorLabel().equals(item.lockedBy()));
        params.put("progress", reviews.progress(project, q));
        params.put("datasets", datasets.list(Authenticator.project(ctx), null, null, 200).data());
        params.put("saved", ctx.queryParam("saved") != null);
        params.put("error", error);
        params.put("form", error == null ? Map.of() : ctx.formParamMap());
        ctx.status(status);
        views.page(ctx, "review/item.jte", "Review · " + q.name(), Section.REVIEW, params);
    }

    private void submit(Context ctx) {
        String project = projectId(ctx);
        ReviewQueue q = reviews.queue(project, ctx.pathParam("queue"));
        Map<String, Map<String, List<String>>> forms = new LinkedHashMap<>();
        for (int i = 0; i < q.evaluators().size(); i++) {
            String prefix = "ev" + i + ".";
            Map<String, List<String>> form = new LinkedHashMap<>();
            ctx.formParamMap().forEach((key, values) -> {
                if (key.startsWith(prefix)) {
                    form.put(key.substring(prefix.length()), values);
                }
            });
            form.put("notes", ctx.formParams("notes"));
            forms.put(q.evaluators().get(i).name(), form);
        }
        String dataset = ctx.formParam("dataset");
        boolean toDataset = dataset != null && !dataset.isBlank();
        try {
            reviews.submit(Authenticator.project(ctx), q.name(), ctx.pathParam("itemId"), new ReviewService.Submission(
                    forms, toDataset ? ctx.formParam("correctedOutput") : null, toDataset ? dataset : null),
                    Authenticator.principal(ctx));
            ctx.redirect(queueUrl(ctx, q.name()) + "/next?saved=1");
        } catch (ApiException e) {
            if (e.status() >= 500 || e.status() == 404) {
                throw e;
            }
            item(ctx, e.getMessage(), e.status());
        }
    }

    private void skip(Context ctx) {
        String queue = ctx.pathParam("queue");
        try {
            reviews.skip(projectId(ctx), queue, ctx.pathParam("itemId"), Authenticator.principal(ctx));
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
        ctx.redirect(queueUrl(ctx, queue) + "/next");
    }

    private void remove(Context ctx) {
        String queue = ctx.pathParam("queue");
        ReviewItem removed = reviews.removeItem(projectId(ctx), queue, ctx.pathParam("itemId"),
                Authenticator.principal(ctx));
        ctx.redirect(queueUrl(ctx, queue) + "?notice=" + encode("Removed " + removed.targetType().id() + " "
                + removed.targetId() + " from the queue"));
    }

    /** An htmx fragment for the evaluator page. */
    private void calibration(Context ctx) {
        Map<String, Object> params = new HashMap<>();
        params.put("calibration", calibration.calibrate(projectId(ctx), ctx.pathParam("name")));
        params.put("base", "/p/" + Authenticator.project(ctx).slug());
        ctx.html(views.render("review/calibration.jte", params));
    }

    private static String base(Context ctx) {
        return "/p/" + Authenticator.project(ctx).slug() + "/review";
    }

    private static String queueUrl(Context ctx, String queue) {
        return base(ctx) + "/" + URLEncoder.encode(queue, StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String projectId(Context ctx) {
        return Authenticator.project(ctx).id();
    }
}
