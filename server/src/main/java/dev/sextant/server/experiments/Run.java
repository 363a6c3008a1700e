package dev.sextant.server.experiments;

import java.time.Instant;

/** One target evaluated over every item x repetition of the experiment's dataset version. */
public record Run(String id, String experimentId, int position, String label, Target target, Status status,
                  String error, Instant startedAt, Instant finishedAt, Progress progress) {

    /** Item calls: total, finished (with or without error), of which errors. */
    public record Progress(int total, int done, int errors) {
        public int percent() {
            return total == 0 ? 100 : (int) Math.floor(100.0 * done / total);
        }
    }
}
