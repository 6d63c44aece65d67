package dev.keygate.server.audit;

import dev.keygate.core.net.IpAddresses;
import dev.keygate.server.store.Database;
import dev.keygate.server.token.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded, batching writer of verify events. {@link #submit} never blocks and takes no lock, so it can sit
 * on the verify path: an event goes onto a lock-free queue, bounded by a counter; when the queue is full the
 * event is dropped, counted ({@link #dropped()}) and a warning is logged (at most once a minute). One thread
 * drains the queue in batches, appending the events and the tokens' last uses (time and address) in one transaction;
 * the verifications of a batch that are alike but for their time are stored as one event ({@link Repeats}).
 * {@link #close()} writes every accepted event before it returns, so a clean shutdown loses nothing.
 */
public final class AuditWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    private static final int BATCH = 512;
    /**
     * How long the writer waits after the first event of a batch for more to arrive, and how long it sleeps
     * when there is nothing to write. Under load this fills far larger batches (fewer transactions, which
     * leaves more CPU to verify); idle, it only delays the write of an event by this much.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Database db;
    private final AuditStore audit;
    private final TokenStore tokens;
    private final List<VerifyEventHandler> handlers;
    private final int capacity;
    private final Queue<AuditEvent> queue = new ConcurrentLinkedQueue<>();
    /** Events accepted and not yet taken by the writer: the queue's bound, kept apart from the queue. */
    private final AtomicInteger depth = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long lastDropWarning;

    public AuditWriter(Database db, AuditStore audit, TokenStore tokens, int capacity) {
        this(db, audit, tokens, capacity, List.of());
    }

    /** A writer that also runs {@code handlers} with each batch (see {@link VerifyEventHandler}). */
    public AuditWriter(Database db, AuditStore audit, TokenStore tokens, int capacity,
                       List<VerifyEventHandler> handlers) {
        this.db = db;
        this.audit = audit;
        this.tokens = tokens;
        this.handlers = List.copyOf(handlers);
        this.capacity = capacity;
        this.thread = Thread.ofPlatform().name("keygate-audit-writer").daemon(true).unstarted(this::run);
        this.thread.start();
    }

    /** Queues an event; returns false (and counts a drop) if the queue is full or the writer is closed. */
    public boolean submit(AuditEvent event) {
        if (!closed) {
            // Count first, then look at closed again: the writer stops only when closed and nothing is
            // counted, so an event counted here is either refused below or written before close returns.
            if (depth.incrementAndGet() <= capacity && !closed) {
                accepted.increment();
                queue.offer(event);
                return true;
            }
            depth.decrementAndGet();
        }
        dropped.increment();
        long now = System.nanoTime();
        if (now - lastDropWarning > TimeUnit.MINUTES.toNanos(1)) {
            lastDropWarning = now;
            log.warn("audit queue full or closed: {} verify events dropped so far", dropped.sum());
        }
        return false;
    }

    /** Events waiting to be written. */
    public int depth() {
        return depth.get();
    }

    /** Events dropped because the queue was full or closed, or because writing them failed. */
    public long dropped() {
        return dropped.sum();
    }

    /** Events accepted but neither written yet nor given up on after failed writes. */
    public long pending() {
        return accepted.sum() - written.get() - failed.get();
    }

    /** Events written to the store. */
    public long written() {
        return written.get();
    }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        while (!closed || depth.get() > 0) {
            take(batch);
            if (batch.isEmpty()) {
                LockSupport.parkNanos(LINGER_NANOS);
                continue;
            }
            if (batch.size() < BATCH && !closed) {
                LockSupport.parkNanos(LINGER_NANOS);
                take(batch);
            }
            depth.addAndGet(-batch.size());
            write(batch);
            batch.clear();
        }
    }

    /** Moves queued events into {@code batch}, up to {@link #BATCH}. */
    private void take(List<AuditEvent> batch) {
        AuditEvent e;
        while (batch.size() < BATCH && (e = queue.poll()) != null) {
            batch.add(withCanonicalRequestIp(e));
        }
    }

    /**
     * {@code e} with its request address in canonical form. The verify path queues the address as the caller wrote
     * it (it checked that it parses), so that formatting it costs this thread, not the verification.
     */
    static AuditEvent withCanonicalRequestIp(AuditEvent e) {
        if (e.requestIp() == null) {
            return e;
        }
        String canonical;
        try {
            canonical = IpAddresses.format(IpAddresses.parse(e.requestIp()));
        } catch (IllegalArgumentException notAnAddress) {
            canonical = null; // never queued so; stored as no address rather than as text nobody checked
        }
        return canonical != null && canonical.equals(e.requestIp()) ? e
                : new AuditEvent(e.id(), e.time(), e.action(), e.actorTokenId(), e.actorPrincipal(), e.target(),
                        e.permission(), e.decision(), e.code(), e.clientIp(), e.userAgent(), e.detail(), canonical,
                        e.repeats(), e.chain(), e.seq(), e.hash());
    }

    private void write(List<AuditEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, TokenStore.LastUse> lastUse = new HashMap<>();
        for (AuditEvent e : batch) {
            if (e.actorTokenId() != null) {
                // Where the token was used from: the address the service stated, else the service's own. Of two
                // uses at the same instant, the later in the batch wins.
                String ip = e.requestIp() != null ? e.requestIp() : e.clientIp();
                lastUse.merge(e.actorTokenId(), new TokenStore.LastUse(e.time(), ip),
                        (a, b) -> b.at().isBefore(a.at()) ? a : b);
            }
        }
        List<AuditEvent> rows = Repeats.collapse(batch);
        for (int attempt = 1; ; attempt++) {
            try {
                db.inTransaction(c -> {
                    // Tokens and handlers' rows first, the audit log last: the order admin changes lock in too.
                    tokens.touch(c, lastUse);
                    for (VerifyEventHandler h : handlers) {
                        h.inTransaction(c, batch);
                    }
                    audit.append(c, rows);
                    return null;
                });
                written.addAndGet(batch.size());
                for (VerifyEventHandler h : handlers) {
                    try {
                        h.committed(batch);
                    } catch (RuntimeException e) {
                        log.error("verify event handler {} failed", h.getClass().getSimpleName(), e);
                    }
                }
                return;
            } catch (RuntimeException e) {
                if (attempt >= 3) {
                    failed.addAndGet(batch.size());
                    dropped.add(batch.size());
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

    /** Stops accepting events, writes every accepted one, and returns when done (or after 30 seconds). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.error("audit writer did not drain within 30 s; {} events still queued", depth.get());
        }
    }
}
