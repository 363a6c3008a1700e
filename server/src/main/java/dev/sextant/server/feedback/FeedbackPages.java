package dev.sextant.server.feedback;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Routes;
import dev.sextant.server.monitoring.Charts;
import dev.sextant.server.monitoring.TimeRange;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The trace page's feedback fragment ({@code hx-get="/p/{project}/feedback/fragment?traceId=…"}) and the
 * feedback page under Monitoring: aggregates per prompt version or model with retention curves.
 */
public final class FeedbackPages {
    private final FeedbackService feedback;
    private final Views views;
    private final Clock clock;

    public FeedbackPages(FeedbackService feedback, Views views, Clock clock) {
        this.feedback = feedback;
        this.views = views;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/feedback/fragment", Access.READ, this::fragment);
        routes.page("GET /p/{project}/monitoring/feedback", Access.READ, this::summary);
    }

    private void fragment(Context ctx) {
        String traceId = ctx.queryParam("traceId");
        if (traceId == null || traceId.isBlank()) {
            throw ApiException.badRequest("traceId is required");
        }
        ctx.html(views.render("feedback/fragment.jte", Map.of(
                "page", views.context(ctx, "Feedback", PageContext.Section.TRACES),
                "items", feedback.forTrace(Authenticator.project(ctx).id(), traceId.strip()))));
    }

    private void summary(Context ctx) {
        TimeRange range = TimeRange.of(ctx, clock);
        FeedbackSummary.GroupBy groupBy = FeedbackSummary.GroupBy.parse(ctx.queryParam("groupBy"));
        String prompt = ctx.queryParam("promptName");
        prompt = prompt == null || prompt.isBlank() ? null : prompt.strip();
        FeedbackSummary summary = feedback.summary(Authenticator.project(ctx).id(), groupBy, prompt, range.from(),
                range.to());
        List<FeedbackSummary.Group> shown = compared(summary.groups(), ctx.queryParam("a"), ctx.queryParam("b"));
        views.page(ctx, "feedback/summary.jte", "Feedback", PageContext.Section.MONITORING, Map.of(
                "summary", summary, "shown", shown, "groupBy", groupBy == FeedbackSummary.GroupBy.MODEL ? "model"
                        : "promptVersion", "promptName", prompt == null ? "" : prompt,
                "retentionChart", retentionChart(shown), "dailyChart", dailyChart(shown),
                "legend", Charts.legend(shown.stream().map(g -> new Charts.Series(g.key(), List.of())).toList())));
    }

    /** The two groups chosen for comparison (a, b), or every group when none is chosen. */
    private static List<FeedbackSummary.Group> compared(List<FeedbackSummary.Group> groups, String a, String b) {
        if ((a == null || a.isBlank()) && (b == null || b.isBlank())) {
            return groups;
        }
        return groups.stream().filter(g -> g.key().equals(a) || g.key().equals(b)).toList();
    }

    /** Retention curves: the mean fraction of accepted text still present at each checkpoint delay. */
    static String retentionChart(List<FeedbackSummary.Group> groups) {
        TreeSet<Integer> delays = new TreeSet<>();
        groups.forEach(g -> g.retention().forEach(p -> delays.add(p.delaySeconds())));
        List<Integer> xs = new ArrayList<>(delays);
        List<Charts.Series> series = new ArrayList<>();
        for (FeedbackSummary.Group g : groups) {
            List<Double> ys = new ArrayList<>();
            for (int delay : xs) {
                ys.add(g.retention().stream().filter(p -> p.delaySeconds() == delay).findFirst()
                        .map(FeedbackSummary.RetentionPoint::meanFractionKept).orElse(null));
            }
            series.add(new Charts.Series(g.key(), ys));
        }
        return Charts.lines(series, xs.stream().map(FeedbackPages::delayLabel).toList(), 1.0, "");
    }

    static String dailyChart(List<FeedbackSummary.Group> groups) {
        TreeSet<java.time.LocalDate> days = new TreeSet<>();
        groups.forEach(g -> g.daily().forEach(d -> days.add(d.day())));
        List<java.time.LocalDate> xs = new ArrayList<>(days);
        List<Charts.Series> series = new ArrayList<>();
        for (FeedbackSummary.Group g : groups) {
            series.add(new Charts.Series(g.key(), xs.stream().map(day -> g.daily().stream()
                    .filter(d -> d.day().equals(day)).findFirst().map(FeedbackSummary.Day::voteRatio).orElse(null))
                    .toList()));
        }
        return Charts.lines(series, xs.stream().map(java.time.LocalDate::toString).toList(), 1.0, "");
    }

    public static String delayLabel(int seconds) {
        return seconds < 60 ? seconds + "s" : seconds < 3600 ? seconds / 60 + "m" : seconds / 3600 + "h";
    }
}
