package dev.sextant.server.experiments;

import dev.sextant.server.playground.TextDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two or more runs over the same dataset version, each compared with the first (the baseline): per
 * criterion the mean per-item difference with a paired bootstrap 95 % interval and a verdict, and a
 * per-item side-by-side table.
 */
public record Comparison(String baselineRunId, List<Scorecard> scorecards, List<Delta> deltas, List<ItemRow> items) {
    public static final String BETTER = "better";
    public static final String WORSE = "worse";
    public static final String NO_DIFFERENCE = "no detectable difference";

    /**
     * One criterion of one run against the baseline, over the items both runs judged.
     *
     * @param verdict better / worse when the interval excludes 0, else "no detectable difference"
     */
    public record Delta(String criterion, String runId, String label, int pairedItems, Double baseline,
                        Double challenger, Double delta, Double low, Double high, String verdict) {
    }

    /** One dataset item across the runs; {@code change} compares the other runs with the baseline. */
    public record ItemRow(String itemId, String change, List<Cell> cells) {
    }

    /**
     * One run's answer to an item (the first repetition), its judgments and, for runs other than the
     * baseline, a word diff against the baseline's output.
     */
    public record Cell(String runId, RunItem item, List<TextDiff.Segment> diff) {
    }

    public static final String REGRESSION = "regression";
    public static final String IMPROVEMENT = "improvement";
    public static final String CHANGED = "changed";
    public static final String SAME = "same";

    /** @param runs the runs in order (baseline first) with all their items */
    public static Comparison of(List<Run> runs, Map<String, List<RunItem>> itemsByRun, List<String> criteria,
                                int repetitions) {
        List<Scorecard> scorecards = new ArrayList<>();
        for (Run run : runs) {
            scorecards.add(Scorecard.of(run, criteria, repetitions, itemsByRun.get(run.id())));
        }
        Run baseline = runs.getFirst();
        List<RunItem> base = itemsByRun.get(baseline.id());
        List<Delta> deltas = new ArrayList<>();
        Map<String, Map<String, Integer>> direction = new LinkedHashMap<>();
        for (String criterion : criteria) {
            boolean passFail = Scorecard.passFail(criterion, base);
            for (Run run : runs.subList(1, runs.size())) {
                passFail = passFail || Scorecard.passFail(criterion, itemsByRun.get(run.id()));
            }
            Map<String, Double> a = perItemMean(Scorecard.valuesByItem(criterion, base, passFail));
            for (Run run : runs.subList(1, runs.size())) {
                Map<String, Double> b = perItemMean(Scorecard.valuesByItem(criterion, itemsByRun.get(run.id()),
                        passFail));
                List<String> common = a.keySet().stream().filter(b::containsKey).toList();
                double[] x = common.stream().mapToDouble(a::get).toArray();
                double[] y = common.stream().mapToDouble(b::get).toArray();
                Stats.Interval ci = Stats.pairedBootstrap(x, y, Stats.RESAMPLES, Stats.SEED);
                String verdict = common.isEmpty() ? NO_DIFFERENCE
                        : ci.low() > 0 ? BETTER : ci.high() < 0 ? WORSE : NO_DIFFERENCE;
                deltas.add(new Delta(criterion, run.id(), run.label(), common.size(),
                        Scorecard.finite(mean(x)), Scorecard.finite(mean(y)), Scorecard.finite(ci.estimate()),
                        Scorecard.finite(ci.low()), Scorecard.finite(ci.high()), verdict));
                for (String item : common) {
                    int sign = Double.compare(b.get(item), a.get(item));
                    if (sign != 0) {
                        direction.computeIfAbsent(item, k -> new LinkedHashMap<>()).merge(run.id(), sign,
                                (p, q) -> p < 0 || q < 0 ? -1 : 1);
                    }
                }
            }
        }
        return new Comparison(baseline.id(), scorecards, deltas, rows(runs, itemsByRun, direction));
    }

    private static List<ItemRow> rows(List<Run> runs, Map<String, List<RunItem>> itemsByRun,
                                      Map<String, Map<String, Integer>> direction) {
        Set<String> itemIds = new LinkedHashSet<>();
        List<Map<String, RunItem>> firstRep = new ArrayList<>();
        for (Run run : runs) {
            Map<String, RunItem> byItem = new LinkedHashMap<>();
            for (RunItem item : itemsByRun.get(run.id())) {
                itemIds.add(item.itemId());
                if (item.repetition() == 1) {
                    byItem.put(item.itemId(), item);
                }
            }
            firstRep.add(byItem);
        }
        List<ItemRow> rows = new ArrayList<>();
        for (String itemId : itemIds) {
            RunItem baseline = firstRep.getFirst().get(itemId);
            List<Cell> cells = new ArrayList<>();
            boolean changed = false;
            for (int i = 0; i < runs.size(); i++) {
                RunItem item = firstRep.get(i).get(itemId);
                List<TextDiff.Segment> diff = null;
                if (i > 0 && item != null && baseline != null) {
                    diff = TextDiff.diff(baseline.output(), item.output());
                    changed |= !java.util.Objects.equals(baseline.output(), item.output());
                }
                cells.add(new Cell(runs.get(i).id(), item, diff));
            }
            Map<String, Integer> signs = direction.getOrDefault(itemId, Map.of());
            String change = signs.containsValue(-1) ? REGRESSION : signs.containsValue(1) ? IMPROVEMENT
                    : changed ? CHANGED : SAME;
            rows.add(new ItemRow(itemId, change, cells));
        }
        return rows;
    }

    private static Map<String, Double> perItemMean(Map<String, List<Double>> values) {
        Map<String, Double> means = new LinkedHashMap<>();
        values.forEach((item, list) -> means.put(item, list.stream().mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN)));
        return means;
    }

    private static double mean(double[] values) {
        return java.util.Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The delta of one criterion and run, if compared. */
    public Delta delta(String criterion, String runId) {
        return deltas.stream().filter(d -> d.criterion().equals(criterion) && d.runId().equals(runId)).findFirst()
                .orElse(null);
    }
}
