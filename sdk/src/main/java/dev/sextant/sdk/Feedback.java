package dev.sextant.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * End-user feedback on a trace (or one of its spans): votes, ratings, actions, corrections,
 * comments and retention checkpoints, sent to {@code POST /api/feedback}. Like telemetry, it is
 * fire-and-forget: every call returns at once, runs on one background thread, never throws into
 * the application, and counts what failed. The returned future completes with {@code true} once
 * the server stored the item, {@code false} otherwise (it never completes exceptionally).
 */
public final class Feedback implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Feedback.class.getName());
    /** JavaScript's {@code \s}, so that words split exactly as in the browser snippet. */
    private static final Pattern WHITESPACE = Pattern.compile(
            "[\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]+");
    private static final int MAX_PENDING = 1000;

    private final ApiClient api;
    private final ThreadPoolExecutor sender;
    private final ScheduledThreadPoolExecutor scheduler;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong();

    /** Which trace (optionally which span) the feedback is about, and optionally who gave it. */
    public record On(String traceId, String spanId, String endUserId) {
        public On {
            Objects.requireNonNull(traceId, "traceId");
        }

        public On span(String spanId) {
            return new On(traceId, spanId, endUserId);
        }

        public On endUser(String endUserId) {
            return new On(traceId, spanId, endUserId);
        }
    }

    /** A handle on pending retention checks. */
    public interface Cancellable {
        /** Cancels the checks that have not run yet. */
        void cancel();
    }

    Feedback(ApiClient api) {
        this.api = api;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_PENDING),
                daemon("sextant-feedback"));
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemon("sextant-retention"));
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public static On on(String traceId) {
        return new On(traceId, null, null);
    }

    public CompletableFuture<Boolean> vote(String traceId, boolean up) {
        return vote(on(traceId), up);
    }

    public CompletableFuture<Boolean> vote(On on, boolean up) {
        return send(on, "vote", "value", up ? "up" : "down");
    }

    /** A rating from 0 to {@code scale}. */
    public CompletableFuture<Boolean> rating(String traceId, double value, double scale) {
        return rating(on(traceId), value, scale);
    }

    public CompletableFuture<Boolean> rating(On on, double value, double scale) {
        return send(on, "rating", "value", value, "scale", scale);
    }

    /** What the user did: {@code copy}, {@code accept}, {@code edit}, {@code regenerate} or {@code share}. */
    public CompletableFuture<Boolean> action(String traceId, String action) {
        return action(on(traceId), action);
    }

    public CompletableFuture<Boolean> action(On on, String action) {
        return send(on, "action", "action", action);
    }

    /** An action of your own (stored as {@code custom:<name>}). */
    public CompletableFuture<Boolean> customAction(On on, String name) {
        return send(on, "action", "action", "custom", "name", name);
    }

    /** The answer as the user corrected it (the server stores a diff against the output). */
    public CompletableFuture<Boolean> correction(String traceId, String correctedText) {
        return correction(on(traceId), correctedText);
    }

    public CompletableFuture<Boolean> correction(On on, String correctedText) {
        return send(on, "correction", "text", correctedText);
    }

    public CompletableFuture<Boolean> comment(String traceId, String text) {
        return comment(on(traceId), text);
    }

    public CompletableFuture<Boolean> comment(On on, String text) {
        return send(on, "comment", "text", text);
    }

    /**
     * After each delay, checks how much of {@code acceptedText} is still in {@code currentText} and
     * sends a {@code retention} checkpoint ({@code present} when at least half of it is kept).
     * The supplier runs on a background thread; if it throws, that checkpoint is skipped.
     */
    public Cancellable trackRetention(String traceId, Supplier<String> currentText, String acceptedText,
                                     Duration... delays) {
        return trackRetention(on(traceId), currentText, acceptedText, delays);
    }

    public Cancellable trackRetention(On on, Supplier<String> currentText, String acceptedText, Duration... delays) {
        List<ScheduledFuture<?>> checks = new ArrayList<>();
        try {
            for (Duration delay : delays) {
                checks.add(scheduler.schedule(() -> checkRetention(on, currentText, acceptedText, delay),
                        delay.toMillis(), TimeUnit.MILLISECONDS));
            }
        } catch (RejectedExecutionException e) {
            dropped.incrementAndGet();
        }
        return () -> checks.forEach(check -> check.cancel(false));
    }

    private void checkRetention(On on, Supplier<String> currentText, String acceptedText, Duration delay) {
        String current;
        try {
            current = currentText.get();
        } catch (RuntimeException e) {
            failure("retention check: reading the current text failed: " + e);
            return;
        }
        double kept = fractionKept(acceptedText, current);
        send(on, "retention", "delaySeconds", delay.toSeconds(), "present", kept >= 0.5,
                "fractionKept", Math.round(kept * 1000) / 1000.0);
    }

    /**
     * The share of the accepted text's words still present, in order, in the current text: the
     * longest common subsequence of words divided by the accepted word count (as the browser snippet).
     */
    public static double fractionKept(String accepted, String current) {
        String[] a = words(accepted);
        String[] b = words(current);
        if (a.length == 0) {
            return current != null && !current.isEmpty() ? 1 : 0;
        }
        int[] prev = new int[b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            int[] row = new int[b.length + 1];
            for (int j = 1; j <= b.length; j++) {
                row[j] = a[i - 1].equals(b[j - 1]) ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
            }
            prev = row;
        }
        return (double) prev[b.length] / a.length;
    }

    private static String[] words(String text) {
        return text == null ? new String[0] : WHITESPACE.splitAsStream(text).filter(w -> !w.isEmpty())
                .toArray(String[]::new);
    }

    private CompletableFuture<Boolean> send(On on, String kind, Object... fields) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("traceId", on.traceId());
        if (on.spanId() != null) {
            item.put("spanId", on.spanId());
        }
        item.put("kind", kind);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                item.put((String) fields[i], fields[i + 1]);
            }
        }
        if (on.endUserId() != null) {
            item.put("endUserId", on.endUserId());
        }
        try {
            sender.execute(() -> {
                try {
                    api.post("/api/feedback", item);
                    sent.incrementAndGet();
                    result.complete(true);
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    failure(kind + " feedback on trace " + on.traceId() + " was not stored: " + e.getMessage());
                    result.complete(false);
                }
            });
        } catch (RejectedExecutionException e) {
            dropped.incrementAndGet();
            result.complete(false);
        }
        return result;
    }

    private void failure(String message) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if ((last == 0 || now - last > TimeUnit.MINUTES.toNanos(1)) && lastWarning.compareAndSet(last, now)) {
            LOG.log(Level.WARNING, "Sextant: " + message + " (further failures are counted, logged at most once a minute)");
        } else {
            LOG.log(Level.FINE, "Sextant: {0}", message);
        }
    }

    /** Items the server stored. */
    public long sent() {
        return sent.get();
    }

    /** Items the server did not accept or could not be reached for. */
    public long failed() {
        return failed.get();
    }

    /** Items dropped because too many were waiting (or the client was closed). */
    public long dropped() {
        return dropped.get();
    }

    /** Sends what is queued (up to a few seconds), then stops; pending retention checks are cancelled. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
    }
}
