package dev.sextant.server.experiments;

import dev.sextant.server.http.ApiException;
import dev.sextant.server.projects.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scorecards, comparisons and Pareto charts computed from stored run items and their scores. */
public final class ExperimentResults {
    static final int MAX_COMPARED = 8;

    private final ExperimentService experiments;

    public ExperimentResults(ExperimentService experiments) {
        this.experiments = experiments;
    }

    public Scorecard scorecard(Project project, String experimentId, String runId) {
        Experiment experiment = experiments.get(project, experimentId);
        Run run = experiments.run(project, experimentId, runId);
        return Scorecard.of(run, criteria(experiment), experiment.repetitions(),
                experiments.allItems(project, runId));
    }

    public List<Scorecard> scorecards(Project project, Experiment experiment) {
        return experiment.runs().stream().map(r -> Scorecard.of(r, criteria(experiment), experiment.repetitions(),
                experiments.allItems(project, r.id()))).toList();
    }

    /** A comparison with its two Pareto charts. */
    public record Compared(Comparison comparison, String criterion, List<String> criteria, ParetoChart byCost,
                           ParetoChart byLatency) {
    }

    /**
     * Compares runs (first = baseline) that ran the same dataset version.
     *
     * @param criterion the quality axis of the Pareto charts (default: the first criterion)
     */
    public Compared compare(Project project, List<String> runIds, String criterion) {
        List<String> ids = runIds.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (ids.size() < 2 || ids.size() > MAX_COMPARED) {
            throw ApiException.badRequest("runs must name 2-" + MAX_COMPARED + " run ids, comma-separated");
        }
        List<Run> runs = new ArrayList<>();
        Map<String, List<RunItem>> items = new LinkedHashMap<>();
        Experiment first = null;
        List<String> criteria = new ArrayList<>();
        int repetitions = 1;
        for (String id : ids) {
            Experiment experiment = experiments.experimentOfRun(project, id);
            if (first == null) {
                first = experiment;
            } else if (!first.datasetName().equals(experiment.datasetName())
                    || first.datasetVersion() != experiment.datasetVersion()) {
                throw ApiException.invalid("runs must share one dataset version: " + first.datasetName() + " v"
                        + first.datasetVersion() + " vs " + experiment.datasetName() + " v"
                        + experiment.datasetVersion());
            }
            for (String c : criteria(experiment)) {
                if (!criteria.contains(c)) {
                    criteria.add(c);
                }
            }
            repetitions = Math.max(repetitions, experiment.repetitions());
            runs.add(experiment.runs().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow());
            items.put(id, experiments.allItems(project, id));
        }
        Comparison comparison = Comparison.of(runs, items, criteria, repetitions);
        String axis = criterion == null || criterion.isBlank() ? (criteria.isEmpty() ? null : criteria.getFirst())
                : criterion.strip();
        if (axis != null && !criteria.contains(axis)) {
            throw ApiException.badRequest("criterion '" + axis + "' is not one of " + criteria);
        }
        List<ParetoChart.Input> byCost = new ArrayList<>();
        List<ParetoChart.Input> byLatency = new ArrayList<>();
        for (Scorecard card : comparison.scorecards()) {
            Double quality = card.criteria().stream().filter(c -> c.name().equals(axis)).findFirst()
                    .map(Scorecard.Criterion::estimate).orElse(null);
            byCost.add(new ParetoChart.Input(card.runId(), card.label(), quality,
                    card.costPerItemUsd() == null ? 0.0 : card.costPerItemUsd()));
            byLatency.add(new ParetoChart.Input(card.runId(), card.label(), quality, card.latencyP50Ms()));
        }
        String quality = axis == null ? "quality" : axis;
        return new Compared(comparison, axis, criteria,
                ParetoChart.of(quality + " vs cost", "cost per item (USD)", quality, byCost),
                ParetoChart.of(quality + " vs latency", "p50 latency (ms)", quality, byLatency));
    }

    static List<String> criteria(Experiment experiment) {
        return experiment.evaluators().stream().map(EvaluatorRef::name).toList();
    }
}
