package dev.sextant.server.monitoring;

import dev.sextant.server.db.Database;
import dev.sextant.server.jobs.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hourly rollups of the trace and span metrics, so that dashboards over long ranges read a few
 * thousand rollup rows instead of every span. A periodic job (never the ingestion path) recomputes
 * from raw rows every hour that changed: hours holding traces written since the watermark
 * (traces.updated_at), hours that closed since the last run, and, after old traces were deleted
 * (retention), hours whose raw row counts no longer match. A query reads rollups for whole hours that
 * are rolled up and unchanged since the watermark, and raw rows for everything else, so results
 * do not depend on how far the job got.
 *
 * <p>The job runs while rollups are wanted: while its runs find work, and for an hour after a metrics
 * query (dashboard, API, alert). A query restarts a stopped job, so a server whose dashboards nobody
 * opens does no rollup work; after a restart the job resumes if the database has rollups.
 */
public final class MetricRollups {
    static final String JOB = "monitoring.rollups";
    private static final Logger LOG = LoggerFactory.getLogger(MetricRollups.class);
    private static final long HOUR = RollupStore.HOUR;
    /** Longer than an ingestion transaction and the clock skew between servers sharing a database. */
    private static final Duration LAG = Duration.ofMinutes(1);
    private static final int CHUNK_HOURS = 24;
    private static final Duration WANTED_AFTER_QUERY = Duration.ofHours(1);
    /** How often a query may check that a run is pending (a short write on SQLite). */
    private static final Duration POKE_EVERY = Duration.ofMinutes(1);

    private final RollupStore store;
    private final SliceScans scans;
    private final Clock clock;
    private final Periodic periodic;
    private final AtomicLong lastQuery = new AtomicLong();
    private final AtomicLong lastPoke = new AtomicLong();
    private volatile boolean lastRunWorked;

    public MetricRollups(Database database, JobQueue jobs, Clock clock, Duration interval) {
        this.store = new RollupStore(database.jdbi());
        this.scans = new SliceScans(database.jdbi(), database.dialect());
        this.clock = clock;
        this.periodic = new Periodic(JOB, interval, jobs, database, clock, this::wanted);
    }

    /** Registers the periodic job; call before the queue starts. */
    public void register() {
        lastRunWorked = store.inUse();
        periodic.register(this::refresh);
    }

    private boolean wanted() {
        return lastRunWorked || clock.millis() - lastQuery.get() < WANTED_AFTER_QUERY.toMillis();
    }

    /** A query keeps the job wanted, and makes sure (at most once a minute) that a run is pending. */
    private void queried() {
        long now = clock.millis();
        lastQuery.set(now);
        long poked = lastPoke.get();
        if (now - poked >= POKE_EVERY.toMillis() && lastPoke.compareAndSet(poked, now)) {
            periodic.poke();
        }
    }

    /** Brings every project's rollups up to date (what the job runs; serialised in this process). */
    public synchronized void refresh() {
        boolean worked = false;
        for (String projectId : store.projectIds()) {
            try {
                worked |= refresh(projectId);
            } catch (RuntimeException e) {
                LOG.warn("metric rollups of project {} failed: {}", projectId, e.toString());
            }
        }
        lastRunWorked = worked;
    }

    /** Returns whether any hour was recomputed. */
    private boolean refresh(String projectId) {
        long safe = clock.millis() - LAG.toMillis();
        long cut = Math.floorDiv(safe, HOUR) * HOUR;
        RollupStore.State state = store.state(projectId).orElse(null);
        Long minStart = store.minStart(projectId);
        TreeSet<Long> hours = new TreeSet<>();
        boolean deleted = state != null && state.minStart() != null
                && (minStart == null || minStart > state.minStart());
        if (state == null || deleted) {
            hours.addAll(mismatchedHours(projectId, cut));
        }
        if (state != null) {
            hours.addAll(store.dirtyHours(projectId, state.watermark()));
            for (long h = state.rolledTo(); h < cut; h += HOUR) {
                hours.add(h);
            }
        }
        NavigableSet<Long> closed = hours.headSet(cut, false);
        if (state != null && closed.isEmpty() && state.rolledTo() == cut && Objects.equals(minStart, state.minStart())) {
            return false; // nothing changed: an idle project costs no write
        }
        recompute(projectId, closed);
        // Writes that committed after we read them have updated_at > safe: the next run sees them.
        store.saveState(projectId, new RollupStore.State(safe, cut, minStart));
        return !closed.isEmpty();
    }

    /** Hours whose raw row counts differ from what their rollups were computed from. */
    private List<Long> mismatchedHours(String projectId, long before) {
        Map<Long, long[]> raw = store.rawCounts(projectId, Long.MIN_VALUE, before);
        Map<Long, long[]> rolled = store.rolledCounts(projectId, before);
        TreeSet<Long> all = new TreeSet<>(raw.keySet());
        all.addAll(rolled.keySet());
        return all.stream().filter(h -> !Arrays.equals(raw.get(h), rolled.get(h))).toList();
    }

    private void recompute(String projectId, NavigableSet<Long> hours) {
        Long start = null;
        long end = 0;
        for (long hour : hours) {
            if (start != null && (hour != end || end - start >= CHUNK_HOURS * HOUR)) {
                recompute(projectId, start, end);
                start = null;
            }
            if (start == null) {
                start = hour;
            }
            end = hour + HOUR;
        }
        if (start != null) {
            recompute(projectId, start, end);
        }
    }

    private void recompute(String projectId, long from, long to) {
        Map<String, Map<SliceScans.Key, Partial>> byKind = new LinkedHashMap<>();
        for (String kind : Slice.KINDS) {
            byKind.put(kind, scans.scan(projectId, Slice.ofKind(kind), from, to, HOUR, true, true));
        }
        store.replace(projectId, from, to, byKind, store.rawCounts(projectId, from, to));
    }

    /**
     * The slice's aggregates over [from, to) per bucket start and group (null: no value of the
     * grouping): rollup rows where they are valid, raw rows elsewhere.
     */
    Map<Long, Map<String, Partial>> partials(String projectId, Slice slice, long from, long to, long bucketMs,
                                            boolean traces, boolean latency) {
        queried();
        Map<Long, Map<String, Partial>> result = new HashMap<>();
        Slice.RollupRead read = slice.rollup();
        RollupStore.State state = read == null || bucketMs % HOUR != 0 ? null : store.state(projectId).orElse(null);
        long first = Math.floorDiv(from + HOUR - 1, HOUR) * HOUR;
        long last = state == null ? first : Math.min(Math.floorDiv(to, HOUR) * HOUR, state.rolledTo());
        if (first >= last) {
            addRaw(result, projectId, slice, from, to, bucketMs, traces, latency);
            return result;
        }
        List<long[]> raw = new ArrayList<>();
        raw.add(new long[] {from, first});
        raw.add(new long[] {last, to});
        raw.addAll(dirtyRanges(store.dirtyHours(projectId, state.watermark()).subSet(first, true, last, false)));
        store.read(projectId, read, first, last, row -> {
            if (raw.stream().noneMatch(r -> row.hour() >= r[0] && row.hour() < r[1])) {
                add(result, Math.floorDiv(row.hour(), bucketMs) * bucketMs, read.collapse() ? "all" : row.dim(),
                        row.partial());
            }
        });
        for (long[] range : raw) {
            if (range[0] < range[1]) {
                addRaw(result, projectId, slice, range[0], range[1], bucketMs, traces, latency);
            }
        }
        return result;
    }

    /** Dirty hours as ranges of consecutive hours, each read raw with an index range scan. */
    private static List<long[]> dirtyRanges(NavigableSet<Long> hours) {
        List<long[]> ranges = new ArrayList<>();
        for (long hour : hours) {
            if (!ranges.isEmpty() && ranges.getLast()[1] == hour) {
                ranges.getLast()[1] = hour + HOUR;
            } else {
                ranges.add(new long[] {hour, hour + HOUR});
            }
        }
        return ranges;
    }

    private void addRaw(Map<Long, Map<String, Partial>> result, String projectId, Slice slice, long from, long to,
                        long bucketMs, boolean traces, boolean latency) {
        scans.scan(projectId, slice, from, to, bucketMs, traces, latency).forEach((key, partial) ->
                add(result, key.bucket(), key.group(), partial));
    }

    private static void add(Map<Long, Map<String, Partial>> result, long bucket, String group, Partial partial) {
        result.computeIfAbsent(bucket, k -> new HashMap<>()).computeIfAbsent(group, k -> new Partial()).add(partial);
    }
}
