package dev.sextant.server.monitoring;

import java.time.Instant;

/** A state change of an alert and how its webhook delivery went ("delivered 200", "failed: ..."). */
public record AlertEvent(String id, String ruleId, String state, Double value, String delivery, Instant createdAt) {
}
