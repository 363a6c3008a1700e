package dev.sextant.server.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A request to start an experiment.
 *
 * @param evaluators names (latest version) or {@code {"name", "version"}} objects
 * @param concurrency model calls in flight per run (1-64, default 4)
 * @param cache       reuse the result of an identical model call within a run
 */
public record NewExperiment(String name, String dataset, Integer datasetVersion, List<Target> targets,
                            List<JsonNode> evaluators, Integer repetitions, Integer concurrency, Boolean cache) {
}
