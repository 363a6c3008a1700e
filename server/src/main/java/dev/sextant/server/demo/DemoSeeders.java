package dev.sextant.server.demo;

import dev.sextant.server.datasets.DatasetsDemoSeeder;
import dev.sextant.server.prompts.PromptDemoSeeder;
import dev.sextant.server.evaluators.EvaluatorDemoSeeder;
import dev.sextant.server.experiments.ExperimentsDemoSeeder;
import dev.sextant.server.models.ModelsDemoSeeder;
import dev.sextant.server.review.ReviewDemoSeeder;
import dev.sextant.server.monitoring.MonitoringDemoSeeder;
import dev.sextant.server.traces.TraceDemoSeeder;
import java.util.List;

/** Every feature's demo seeder, in the order they run (later ones may use earlier data). */
public final class DemoSeeders {
    private DemoSeeders() {
    }

    public static List<DemoSeeder> all() {
        return List.of(new TraceDemoSeeder(), new PromptDemoSeeder(), new DatasetsDemoSeeder(),
                new EvaluatorDemoSeeder(), new ModelsDemoSeeder(), new ExperimentsDemoSeeder(), new ReviewDemoSeeder(),
                new MonitoringDemoSeeder());
    }
}
