package dev.keygate.server.audit;

import dev.keygate.server.store.Database;
import dev.keygate.server.token.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded, batching writer of verify events. {@link #submit} never blocks the verify path: when the queue
 * is full the event is dropped, counted ({@link #dropped()}) and a warning is logged (at most once a minute).
 * One thread drains the queue in batches, appending the events and the tokens' last-use times in one
 * transaction. {@link #close()} drains what is queued before it returns, so a clean shutdown loses nothing.
 */
public final class AuditWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    private static final int BATCH = 512;
    /**
     * How long the writer waits after the first event of a batch for more to arrive. Under load this fills far
     * larger batches (fewer transactions and syncs, which leaves more CPU to verify); idle, it only delays the
     * write of an event by this much.
     */
    private static final long LINGER_MILLIS = 10;
    private static final AuditEvent STOP = new AuditEvent(null, Instant.EPOCH, "stop", null, null, null, null,
            "deny", "STOP", null, null, null);

    private final Database db;
    private final AuditStore audit;
    private final TokenStore tokens;
    private final BlockingQueue<AuditEvent> queue;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private long lastDropWarning;

    public AuditWriter(Database db, AuditStore audit, TokenStore tokens, int capacity) {
        this.db = db;
        this.audit = audit;
        this.tokens = tokens;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("keygate-audit-writer").daemon(true).unstarted(this::run);
        this.thread.start();
    }

    /** Queues an event; returns false (and counts a drop) if the queue is full or the writer is closed. */
    public boolean submit(AuditEvent event) {
        accepted.incrementAndGet();
        if (!closed && queue.offer(event)) {
            return true;
        }
        accepted.decrementAndGet();
        long n = dropped.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastDropWarning > TimeUnit.MINUTES.toNanos(1)) {
            lastDropWarning = now;
            log.warn("audit queue full or closed: {} verify events dropped so far", n);
        }
        return false;
    }

    /** Events waiting to be written. */
    public int depth() {
        return queue.size();
    }

    /** Events dropped because the queue was full or closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Events accepted but neither written yet nor given up on after failed writes. */
    public long pending() {
        return accepted.get() - written.get() - failed.get();
    }

    /** Events written to the store. */
    public long written() {
        return written.get();
    }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        boolean stopping = false;
        while (!stopping) {
            try {
                AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                if (batch.size() < BATCH && !closed) {
                    Thread.sleep(LINGER_MILLIS);
                    queue.drainTo(batch, BATCH - batch.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
            int stop = batch.indexOf(STOP);
            if (stop >= 0) {
                stopping = true;
                batch.remove(stop);
                queue.drainTo(batch); // whatever raced in before closed was seen
            }
            write(batch);
            batch.clear();
        }
    }

    private void write(List<AuditEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, Instant> lastUse = new HashMap<>();
        for (AuditEvent e : batch) {
            if (e.actorTokenId() != null) {
                lastUse.merge(e.actorTokenId(), e.time(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                db.inTransaction(c -> {
                    audit.append(c, batch);
                    tokens.touch(c, lastUse);
                    return null;
                });
                written.addAndGet(batch.size());
                return;
            } catch (RuntimeException e) {
                if (attempt >= 3) {
                    failed.addAndGet(batch.size());
                    dropped.addAndGet(batch.size());
                    log.error("could not write {} verify audit events after {} attempts", batch.size(), attempt, e);
                    return;
                }
                log.warn("writing {} verify audit events failed (attempt {}), retrying", batch.size(), attempt, e);
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Stops accepting events, writes every queued one, and returns when done (or after 30 seconds). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(STOP);
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.error("audit writer did not drain within 30 s; {} events still queued", queue.size());
        }
    }
}
