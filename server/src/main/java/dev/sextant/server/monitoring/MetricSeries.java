package dev.sextant.server.monitoring;

import java.time.Instant;
import java.util.List;

/** A metric's values per time bucket, one series per group ("all" when not grouped). */
public record MetricSeries(String metric, Instant from, Instant to, long bucketSeconds, List<Series> series) {

    public record Series(String group, List<Point> points) {
    }

    /** A bucket starting at {@code time}; value is null when the bucket had no data; count = rows aggregated. */
    public record Point(Instant time, Double value, long count) {
    }
}
