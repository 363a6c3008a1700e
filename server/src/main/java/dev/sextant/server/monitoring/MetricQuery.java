package dev.sextant.server.monitoring;

import dev.sextant.server.http.ApiException;
import java.time.Duration;

/**
 * What to compute: a metric over [from, to) in buckets, optionally per group and filtered.
 *
 * @param groupBy   null, "promptVersion", "model" or "tag"
 * @param evaluator score metrics: the evaluator's name (null: every evaluator, grouped by name)
 * @param action    the actions metric: one action (copy, accept, ...) or null for all
 */
public record MetricQuery(Metric metric, TimeRange range, Duration bucket, String groupBy, String promptName,
                          String model, String evaluator, String action) {
    public static final int MAX_BUCKETS = 2_000;

    public MetricQuery {
        if (groupBy != null && !groupBy.equals("promptVersion") && !groupBy.equals("model") && !groupBy.equals("tag")) {
            throw ApiException.invalid("groupBy must be promptVersion, model or tag");
        }
        if (bucket.isZero() || bucket.isNegative()) {
            throw ApiException.invalid("bucket must be positive");
        }
        if (range.length().dividedBy(bucket) > MAX_BUCKETS) {
            throw ApiException.invalid("at most " + MAX_BUCKETS + " buckets: choose a larger bucket");
        }
    }

    public MetricQuery with(Metric other) {
        return new MetricQuery(other, range, bucket, groupBy, promptName, model, evaluator, action);
    }

    /** Parses "5m", "1h", "1d" (or seconds as a number); null picks about 48 buckets for the range. */
    public static Duration bucket(String value, TimeRange range) {
        if (value == null || value.isBlank()) {
            long hours = range.length().toHours();
            return hours <= 3 ? Duration.ofMinutes(5) : hours <= 48 ? Duration.ofHours(1)
                    : hours <= 24 * 14 ? Duration.ofHours(6) : Duration.ofDays(1);
        }
        String v = value.strip();
        try {
            char unit = v.charAt(v.length() - 1);
            long n = Character.isDigit(unit) ? Long.parseLong(v) : Long.parseLong(v.substring(0, v.length() - 1));
            return switch (unit) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                case 's' -> Duration.ofSeconds(n);
                default -> {
                    if (Character.isDigit(unit)) {
                        yield Duration.ofSeconds(n);
                    }
                    throw new NumberFormatException(v);
                }
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw ApiException.invalid("bucket must look like 5m, 1h or 1d");
        }
    }
}
