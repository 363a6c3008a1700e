package dev.sextant.server.experiments;

/** An evaluator an experiment runs, pinned to a version when the experiment is created. */
public record EvaluatorRef(String name, Integer version) {
}
