package dev.sextant.sdk;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Batches ended spans to an exporter on one daemon thread. The caller's thread only offers the
 * span to a bounded queue: it never blocks, and when the queue is full the span is dropped and
 * counted. Export failures are logged (at most once a minute), never thrown.
 */
final class BoundedBatchProcessor implements SpanProcessor {
    private static final Logger LOG = Logger.getLogger(BoundedBatchProcessor.class.getName());
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final SpanExporter exporter;
    private final BlockingQueue<Object> queue;
    private final int maxBatch;
    private final Duration delay;
    private final Duration exportTimeout;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Object flushLock = new Object();
    private final Thread worker;
    private volatile long lastErrorLog;

    BoundedBatchProcessor(SpanExporter exporter, int maxQueue, int maxBatch, Duration delay, Duration exportTimeout) {
        this.exporter = exporter;
        this.queue = new ArrayBlockingQueue<>(maxQueue);
        this.maxBatch = maxBatch;
        this.delay = delay;
        this.exportTimeout = exportTimeout;
        this.worker = new Thread(this::run, "sextant-span-exporter");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        // nothing to do at start
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (!span.getSpanContext().isSampled() || !running.get()) {
            return;
        }
        if (!queue.offer(span)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** Queued behind the spans to flush; completed once everything before it was exported. */
    private static final class FlushMarker extends CompletableFuture<Void> {
    }

    private void run() {
        List<Object> taken = new ArrayList<>(maxBatch);
        while (running.get() || !queue.isEmpty()) {
            try {
                Object first = queue.poll(delay.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    taken.add(first);
                    queue.drainTo(taken, maxBatch - 1);
                }
                exportInOrder(taken);
                taken.clear();
            } catch (InterruptedException e) {
                if (!running.get()) {
                    break;
                }
            }
        }
    }

    private void exportInOrder(List<Object> taken) {
        List<ReadableSpan> batch = new ArrayList<>(taken.size());
        for (Object item : taken) {
            if (item instanceof FlushMarker marker) {
                export(batch);
                batch.clear();
                marker.complete(null);
            } else {
                batch.add((ReadableSpan) item);
            }
        }
        export(batch);
    }

    private void export(List<ReadableSpan> batch) {
        if (batch.isEmpty()) {
            return;
        }
        synchronized (flushLock) {
            List<SpanData> data = new ArrayList<>(batch.size());
            for (ReadableSpan span : batch) {
                data.add(span.toSpanData());
            }
            try {
                CompletableResultCode result = exporter.export(data).join(exportTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (result.isSuccess()) {
                    exported.addAndGet(data.size());
                } else {
                    failed.addAndGet(data.size());
                    logError("Sextant: could not export " + data.size() + " spans (server unreachable or rejected)", null);
                }
            } catch (RuntimeException e) {
                failed.addAndGet(data.size());
                logError("Sextant: span export failed", e);
            }
        }
    }

    private void logError(String message, Throwable e) {
        long now = System.nanoTime();
        if (now - lastErrorLog > LOG_INTERVAL_NANOS) {
            lastErrorLog = now;
            LOG.log(Level.WARNING, message, e);
        }
    }

    /** Waits (up to the export timeout) until every span ended so far has been exported. */
    @Override
    public CompletableResultCode forceFlush() {
        FlushMarker marker = new FlushMarker();
        if (running.get() && worker.isAlive()) {
            try {
                // Flushing may wait (it is called on shutdown or by tests), so wait for room in a full
                // queue too: the marker must sit behind every span ended so far.
                if (queue.offer(marker, exportTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    marker.get(exportTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
                    return CompletableResultCode.ofSuccess();
                }
                return CompletableResultCode.ofFailure();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableResultCode.ofFailure();
            } catch (ExecutionException | TimeoutException e) {
                return CompletableResultCode.ofFailure();
            }
        }
        // Worker stopped (shutdown): export what is still queued on this thread.
        List<Object> taken = new ArrayList<>();
        while (queue.drainTo(taken, maxBatch) > 0) {
            exportInOrder(taken);
            taken.clear();
        }
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        if (!running.compareAndSet(true, false)) {
            return CompletableResultCode.ofSuccess();
        }
        worker.interrupt();
        try {
            worker.join(exportTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forceFlush();
        return exporter.shutdown();
    }

    long droppedSpans() {
        return dropped.get();
    }

    long exportedSpans() {
        return exported.get();
    }

    long failedSpans() {
        return failed.get();
    }
}
