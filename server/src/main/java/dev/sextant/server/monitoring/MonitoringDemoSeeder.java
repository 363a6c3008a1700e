package dev.sextant.server.monitoring;

import dev.sextant.server.SextantServices;
import dev.sextant.server.db.Ids;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoSeeder;
import dev.sextant.server.feedback.FeedbackInput;
import dev.sextant.server.http.Json;
import dev.sextant.server.traces.SpanRecord;
import dev.sextant.server.traces.TracePatch;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A week of support-bot traffic for the dashboard, written through the trace service (no HTTP): prompt
 * support-answer v3 on sim-1, then v4 on sim-2 rolled out from day 4 (faster, better votes, answers kept
 * longer), an error spike on day 5, code and judge scores, and end-user feedback with retention
 * checkpoints. Also an online rule and an alert.
 */
public final class MonitoringDemoSeeder implements DemoSeeder {
    private static final String[] ANSWERS = {
        "Your order shipped yesterday and should arrive on Friday.",
        "Yes, the shoes are within the 30-day return window; I have emailed you a return label.",
        "The order is cancelled; the refund takes 3 to 5 business days.",
        "The second charge is a pending authorisation and will disappear within 48 hours."};
    private static final int BATCH = 400;

    @Override
    public void seed(DemoContext demo) throws Exception {
        SextantServices services = demo.services();
        String projectId = demo.project().id();
        Random random = new Random(7);
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minus(Duration.ofDays(7));
        Instant rollout = start.plus(Duration.ofDays(4));
        Instant spikeFrom = start.plus(Duration.ofDays(5)).plus(Duration.ofHours(14));
        Instant spikeTo = spikeFrom.plus(Duration.ofHours(3));
        List<SpanRecord> spans = new ArrayList<>();
        List<TracePatch> traces = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        int n = 0;
        for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            int hourOfDay = hour.atZone(java.time.ZoneOffset.UTC).getHour();
            int volume = 3 + (hourOfDay >= 8 && hourOfDay <= 20 ? 8 : 1) + random.nextInt(4);
            for (int i = 0; i < volume; i++) {
                n++;
                Instant at = hour.plusSeconds(random.nextInt(3600));
                boolean v4 = at.isAfter(rollout) && (at.isAfter(rollout.plus(Duration.ofDays(1))) || random.nextBoolean());
                boolean spike = at.isAfter(spikeFrom) && at.isBefore(spikeTo);
                boolean error = random.nextDouble() < (spike ? 0.35 : 0.02);
                Turn turn = new Turn(String.format("7e%030x", n), String.format("b1%014x", n), at, v4, error,
                        ANSWERS[random.nextInt(ANSWERS.length)]);
                turns.add(turn);
                add(turn, spans, traces, random);
                if (spans.size() >= BATCH) {
                    services.traces().write(projectId, spans, traces);
                    spans.clear();
                    traces.clear();
                }
            }
        }
        services.traces().write(projectId, spans, traces);
        scoresAndFeedback(services, projectId, turns, random);
        rules(services, demo);
    }

    private record Turn(String traceId, String llmSpanId, Instant at, boolean v4, boolean error, String answer) {
    }

    private static void add(Turn t, List<SpanRecord> spans, List<TracePatch> traces, Random random) {
        long llmMs = t.v4() ? 500 + random.nextInt(700) : 900 + random.nextInt(1600);
        if (t.error()) {
            llmMs = 5000;
        }
        String root = "c" + t.llmSpanId().substring(1);
        String question = "Where is my order " + (4000 + random.nextInt(900)) + "?";
        String answer = t.error() ? null : Json.write(t.answer());
        spans.add(new SpanRecord(t.llmSpanId(), t.traceId(), root, "llm", "chat " + (t.v4() ? "sim-2" : "sim-1"),
                Json.write(question), answer, t.v4() ? "sim-2" : "sim-1", "sim", null, 400L + random.nextInt(300),
                t.error() ? null : 30L + random.nextInt(60), null, null, null, t.at().plusMillis(20),
                t.at().plusMillis(20 + llmMs), t.error() ? "error" : "ok",
                t.error() ? "TimeoutException: the model did not answer within 5 s" : null, null, "support-answer",
                t.v4() ? 4 : 3));
        spans.add(new SpanRecord(root, t.traceId(), null, "chain", "support-turn", Json.write(question), answer, null,
                null, null, null, null, null, null, null, t.at(), t.at().plusMillis(llmMs + 60),
                t.error() ? "error" : "ok", null, null, null, null));
        List<String> tags = random.nextInt(5) == 0 ? List.of("support-bot", "vip") : List.of("support-bot");
        traces.add(new TracePatch(t.traceId(), null, "chat-" + random.nextInt(400), "user-" + random.nextInt(120),
                Json.write(tags), Json.write(Map.of("channel", random.nextBoolean() ? "web" : "app")), null, null, 0));
    }

    private static void scoresAndFeedback(SextantServices services, String projectId, List<Turn> turns,
                                          Random random) {
        for (int from = 0; from < turns.size(); from += BATCH) {
            List<Turn> batch = turns.subList(from, Math.min(turns.size(), from + BATCH));
            services.database().jdbi().useTransaction(h -> {
                for (Turn t : batch) {
                    if (t.error()) {
                        continue;
                    }
                    if (random.nextInt(3) == 0) {
                        boolean passed = random.nextDouble() < (t.v4() ? 0.93 : 0.8);
                        h.createUpdate("INSERT INTO scores (id, project_id, target_type, target_id, evaluator_name, "
                                        + "value, passed, source, author, cost, created_at) VALUES (:id, :p, 'span', :t, "
                                        + "'answers-the-question', :v, :passed, 'llm', 'online rule demo', 0.0004, :at)")
                                .bind("id", Ids.newId()).bind("p", projectId).bind("t", t.llmSpanId())
                                .bind("v", Boolean.toString(passed)).bind("passed", passed)
                                .bind("at", t.at().plusSeconds(30)).execute();
                    }
                    double roll = random.nextDouble();
                    if (roll < 0.35) {
                        boolean up = random.nextDouble() < (t.v4() ? 0.82 : 0.6);
                        feedback(services, h, projectId, t, "vote", up ? "up" : "down", null, 40);
                    }
                    if (random.nextDouble() < 0.25) {
                        feedback(services, h, projectId, t, "action", null, random.nextInt(4) == 0 ? "regenerate"
                                : "copy", 60);
                    }
                    if (random.nextDouble() < 0.15) {
                        feedback(services, h, projectId, t, "action", null, "accept", 70);
                        double decay = t.v4() ? 0.04 : 0.12;
                        int[] delays = {30, 120, 600};
                        double kept = 1.0;
                        for (int d : delays) {
                            kept = Math.max(0, kept - decay * (1 + random.nextDouble() * 2));
                            services.feedback().record(h, projectId, new FeedbackInput(t.traceId(), null,
                                    "retention", null, null, null, null, null, d, kept >= 0.5,
                                    Math.round(kept * 1000) / 1000.0, null), t.at().plusSeconds(70 + d));
                        }
                    }
                }
            });
        }
    }

    private static void feedback(SextantServices services, org.jdbi.v3.core.Handle h, String projectId, Turn t,
                                 String kind, String value, String action, int afterSeconds) {
        services.feedback().record(h, projectId, new FeedbackInput(t.traceId(), null, kind,
                value == null ? null : Json.mapper().getNodeFactory().textNode(value), null, action, null, null,
                null, null, null, "user-" + (t.traceId().hashCode() & 0xff)), t.at().plusSeconds(afterSeconds));
    }

    private static void rules(SextantServices services, DemoContext demo) {
        String projectId = demo.project().id();
        if (services.evaluators().find(projectId, "fast-enough", null).isPresent()) {
            services.online().create(projectId, new OnlineEvalService.RuleInput("llm-latency", "fast-enough", "span",
                    new RuleFilter("llm", null, null, "support-answer", null, List.of(), Map.of()), 0.2, null, false,
                    null), demo.actor());
        }
        services.alerts().create(projectId, new AlertService.AlertInput("error-rate", "error_rate", null, "gt", 0.08,
                60, "https://alerts.example.invalid/sextant-demo-webhook", null), demo.actor());
    }
}
