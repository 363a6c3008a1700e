package dev.sextant.server.traces;

/**
 * SQL conditions that select a trace's spans. Spans reach their trace by its sequence number
 * ({@code traces.seq}, the first column of the spans key, which grows in insertion order) rather
 * than by its random id, whose index would cost ingestion a random page write per span.
 */
public final class SpansOfTrace {
    private SpansOfTrace() {
    }

    /** Spans (aliased {@code spans}) of the trace whose id is parameter {@code trace}, in project {@code project}. */
    public static String one(String spans, String project, String trace) {
        return spans + ".trace_seq = (SELECT seq FROM traces WHERE project_id = " + project + " AND id = " + trace
                + ")";
    }

    /** Spans (aliased {@code spans}) of the traces whose ids are in the SQL list {@code ids}, e.g. {@code <ids>}. */
    public static String anyOf(String spans, String project, String ids) {
        return spans + ".trace_seq IN (SELECT seq FROM traces WHERE project_id = " + project + " AND id IN (" + ids
                + "))";
    }

    /** Spans (aliased {@code spans}) of the trace row aliased {@code trace}. */
    public static String ofRow(String spans, String trace) {
        return spans + ".trace_seq = " + trace + ".seq";
    }
}
