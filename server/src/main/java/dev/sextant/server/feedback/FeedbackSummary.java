package dev.sextant.server.feedback;

import dev.sextant.server.http.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Feedback aggregated per prompt version or per model: vote ratio, mean rating, action rates (share of
 * served traces with that action), the retention curve, and daily buckets.
 */
public record FeedbackSummary(String groupBy, Instant from, Instant to, List<Group> groups) {

    public enum GroupBy {
        PROMPT_VERSION, MODEL;

        public static GroupBy parse(String value) {
            if (value == null || value.equals("promptVersion")) {
                return PROMPT_VERSION;
            }
            if (value.equals("model")) {
                return MODEL;
            }
            throw ApiException.invalid("groupBy must be promptVersion or model");
        }
    }

    /**
     * @param traces     distinct traces served by this group in the range (0 when unknown)
     * @param voteRatio  up votes / all votes, null without votes
     * @param actionRate per action: traces with that action / traces served (or / traces with feedback)
     */
    public record Group(String key, String promptName, Integer promptVersion, String model, long traces,
                        long feedbackCount, long upVotes, long downVotes, Double voteRatio, Double meanRating,
                        Map<String, Long> actions, Map<String, Double> actionRate, List<RetentionPoint> retention,
                        List<Day> daily) {
    }

    /** At one checkpoint delay: how many checks, the share still present and the mean fraction kept. */
    public record RetentionPoint(int delaySeconds, long checks, double presentRate, double meanFractionKept) {
    }

    public record Day(LocalDate day, long feedbackCount, long upVotes, long downVotes, Double voteRatio) {
    }

    static FeedbackSummary compute(GroupBy groupBy, Instant from, Instant to, List<Feedback> rows,
                                   List<FeedbackStore.Exposure> exposures) {
        Map<String, List<Feedback>> byKey = new TreeMap<>();
        for (Feedback f : rows) {
            if (groupBy == GroupBy.MODEL ? f.model() == null : f.promptName() == null) {
                continue;
            }
            byKey.computeIfAbsent(key(groupBy, f.promptName(), f.promptVersion(), f.model()), k -> new ArrayList<>())
                    .add(f);
        }
        Map<String, Long> served = new HashMap<>();
        for (FeedbackStore.Exposure e : exposures) {
            served.put(groupBy == GroupBy.MODEL ? key(groupBy, null, null, e.name())
                    : key(groupBy, e.name(), e.version(), null), e.traces());
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<Feedback>> entry : byKey.entrySet()) {
            groups.add(group(entry.getKey(), entry.getValue(), served.getOrDefault(entry.getKey(), 0L)));
        }
        return new FeedbackSummary(groupBy == GroupBy.MODEL ? "model" : "promptVersion", from, to, groups);
    }

    static String key(GroupBy groupBy, String promptName, Integer version, String model) {
        return groupBy == GroupBy.MODEL ? model : promptName + " v" + (version == null ? "?" : version);
    }

    private static Group group(String key, List<Feedback> rows, long servedTraces) {
        Feedback first = rows.getFirst();
        long up = rows.stream().filter(f -> f.vote() != null && f.vote() > 0).count();
        long down = rows.stream().filter(f -> f.vote() != null && f.vote() < 0).count();
        Double meanRating = rows.stream().filter(f -> f.rating() != null)
                .mapToDouble(f -> f.rating() / f.scale()).average().stream().boxed().findFirst().orElse(null);
        Set<String> tracesWithFeedback = new HashSet<>();
        Map<String, Set<String>> actionTraces = new TreeMap<>();
        Map<String, Long> actions = new TreeMap<>();
        for (Feedback f : rows) {
            tracesWithFeedback.add(f.traceId());
            if (f.action() != null) {
                actions.merge(f.action(), 1L, Long::sum);
                actionTraces.computeIfAbsent(f.action(), a -> new HashSet<>()).add(f.traceId());
            }
        }
        long denominator = Math.max(servedTraces, tracesWithFeedback.size());
        Map<String, Double> rates = new TreeMap<>();
        actionTraces.forEach((a, traces) -> rates.put(a, (double) traces.size() / denominator));
        return new Group(key, first.promptName(), first.promptVersion(), first.model(), servedTraces, rows.size(), up,
                down, ratio(up, down), meanRating, actions, rates, retention(rows), daily(rows));
    }

    static List<RetentionPoint> retention(List<Feedback> rows) {
        Map<Integer, List<Feedback>> byDelay = new TreeMap<>();
        rows.stream().filter(f -> f.kind() == FeedbackKind.RETENTION)
                .forEach(f -> byDelay.computeIfAbsent(f.delaySeconds(), d -> new ArrayList<>()).add(f));
        List<RetentionPoint> points = new ArrayList<>();
        byDelay.forEach((delay, checks) -> points.add(new RetentionPoint(delay, checks.size(),
                checks.stream().filter(f -> Boolean.TRUE.equals(f.present())).count() / (double) checks.size(),
                checks.stream().mapToDouble(f -> Objects.requireNonNullElse(f.fractionKept(), 0.0)).average()
                        .orElse(0))));
        return points;
    }

    private static List<Day> daily(List<Feedback> rows) {
        Map<LocalDate, List<Feedback>> byDay = new TreeMap<>();
        rows.forEach(f -> byDay.computeIfAbsent(LocalDate.ofInstant(f.createdAt(), ZoneOffset.UTC),
                d -> new ArrayList<>()).add(f));
        List<Day> days = new ArrayList<>();
        byDay.forEach((day, list) -> {
            long up = list.stream().filter(f -> f.vote() != null && f.vote() > 0).count();
            long down = list.stream().filter(f -> f.vote() != null && f.vote() < 0).count();
            days.add(new Day(day, list.size(), up, down, ratio(up, down)));
        });
        days.sort(Comparator.comparing(Day::day));
        return days;
    }

    private static Double ratio(long up, long down) {
        return up + down == 0 ? null : (double) up / (up + down);
    }
}
