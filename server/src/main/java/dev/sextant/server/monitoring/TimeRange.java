package dev.sextant.server.monitoring;

import dev.sextant.server.http.ApiException;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** A [from, to) time range from the {@code from} and {@code to} query parameters; by default the last 7 days. */
public record TimeRange(Instant from, Instant to) {
    public static final Duration DEFAULT = Duration.ofDays(7);
    public static final Duration MAX = Duration.ofDays(400);

    public TimeRange {
        if (!from.isBefore(to)) {
            throw ApiException.invalid("from must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX) > 0) {
            throw ApiException.invalid("the range may span at most " + MAX.toDays() + " days");
        }
    }

    public static TimeRange of(Context ctx, Clock clock) {
        Instant to = parse(ctx, "to");
        Instant from = parse(ctx, "from");
        if (to == null) {
            // Round up to the next minute so that data written this minute is inside the range.
            to = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        }
        return new TimeRange(from == null ? to.minus(DEFAULT) : from, to);
    }

    private static Instant parse(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(value.trim()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw ApiException.badRequest(name + " must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
            }
        }
    }

    public Duration length() {
        return Duration.between(from, to);
    }
}
