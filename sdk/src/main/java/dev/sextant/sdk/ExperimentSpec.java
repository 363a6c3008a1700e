package dev.sextant.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * An experiment whose target is your own code: a function run on every item of a dataset version,
 * its outputs judged by evaluators on the server.
 *
 * <pre>{@code
 * ExperimentResult result = sextant.experiments().run(ExperimentSpec.builder("support questions")
 *         .evaluators("answers-the-question", "concise")
 *         .task(item -> Output.of(bot.answer(item.input("question"))))
 *         .concurrency(4).build());
 * }</pre>
 */
public record ExperimentSpec(String dataset, Integer datasetVersion, List<EvaluatorRef> evaluators, String name,
                             int concurrency, int repetitions, Duration timeout, Function<DatasetItem, Output> task) {

    /** An evaluator by name, at its latest version or a fixed one. */
    public record EvaluatorRef(String name, Integer version) {
        public EvaluatorRef {
            Objects.requireNonNull(name, "evaluator name");
        }

        /** {@code name} or {@code name@version}. */
        public static EvaluatorRef parse(String spec) {
            int at = spec.lastIndexOf('@');
            if (at > 0 && spec.substring(at + 1).matches("v?\\d+")) {
                return new EvaluatorRef(spec.substring(0, at), Integer.parseInt(spec.substring(at + 1).replace("v", "")));
            }
            return new EvaluatorRef(spec, null);
        }
    }

    public ExperimentSpec {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(task, "task");
        evaluators = List.copyOf(evaluators);
        if (evaluators.isEmpty()) {
            throw new IllegalArgumentException("an experiment needs at least one evaluator");
        }
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("concurrency must be 1-64");
        }
        if (repetitions < 1 || repetitions > 20) {
            throw new IllegalArgumentException("repetitions must be 1-20");
        }
    }

    public static Builder builder(String dataset) {
        return new Builder(dataset);
    }

    public static final class Builder {
        private final String dataset;
        private Integer datasetVersion;
        private final List<EvaluatorRef> evaluators = new ArrayList<>();
        private String name;
        private int concurrency = 4;
        private int repetitions = 1;
        private Duration timeout = Duration.ofMinutes(10);
        private Function<DatasetItem, Output> task;

        private Builder(String dataset) {
            this.dataset = dataset;
        }

        public Builder datasetVersion(int version) {
            this.datasetVersion = version;
            return this;
        }

        /** Evaluator names, each optionally with {@code @version}. */
        public Builder evaluators(String... names) {
            for (String spec : names) {
                evaluators.add(EvaluatorRef.parse(spec));
            }
            return this;
        }

        public Builder evaluator(String name, int version) {
            evaluators.add(new EvaluatorRef(name, version));
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Items the function runs on at once (a fixed pool of this many threads; default 4). */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder repetitions(int repetitions) {
            this.repetitions = repetitions;
            return this;
        }

        /** How long to wait for the whole experiment (default 10 minutes); it is cancelled after that. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Your application on one item. An exception records the item as an error. */
        public Builder task(Function<DatasetItem, Output> task) {
            this.task = task;
            return this;
        }

        /** Your application on one item, answering text. */
        public Builder textTask(Function<DatasetItem, String> task) {
            return task(item -> Output.of(task.apply(item)));
        }

        public ExperimentSpec build() {
            return new ExperimentSpec(dataset, datasetVersion, evaluators, name, concurrency, repetitions, timeout,
                    task);
        }
    }
}
