package dev.sextant.server.traces;

import java.util.List;

/** What one request hands to the writer: spans and trace facts of one project. */
public record IngestBatch(String projectId, List<SpanRecord> spans, List<TracePatch> traces) {
    public int size() {
        return Math.max(1, spans.size() + traces.size());
    }
}
