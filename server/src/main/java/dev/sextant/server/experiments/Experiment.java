package dev.sextant.server.experiments;

import java.time.Instant;
import java.util.List;

/** A dataset version run against one or more targets (one {@link Run} each) and scored by evaluators. */
public record Experiment(String id, String name, String datasetName, int datasetVersion, List<EvaluatorRef> evaluators,
                         int repetitions, int concurrency, boolean cache, Status status, String createdBy,
                         Instant createdAt, Instant finishedAt, List<Run> runs) {

    Experiment withRuns(List<Run> value) {
        return new Experiment(id, name, datasetName, datasetVersion, evaluators, repetitions, concurrency, cache,
                status, createdBy, createdAt, finishedAt, value);
    }
}
