package dev.sextant.server.traces;

import java.util.List;

/** A trace with its span tree (roots in start order, each with its children). */
public record TraceDetail(Trace trace, List<Span> spans) {
}
