package dev.keygate.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes every audit event committed to the store, of both chains and whichever node wrote it, as one JSON line
 * (the fields of {@code GET /v1/audit}) to stdout or a file, for log shippers to tail.
 *
 * <p>It tails the store rather than hooking the writers: every {@code interval} it reads each chain past the last
 * seq it wrote, in seq order. That is gap-free because seqs are assigned and committed in order under each
 * chain's head lock: once an event is visible, every earlier one of its chain is too. So each event is written
 * once, in seq order per chain, and only once committed. It starts from the heads at start-up (events written
 * while the node was down are for {@code keygate audit export}), and {@link #close()} makes a last pass, which
 * must come after the audit writer drained so that the last verifications are in it.
 */
public final class AuditSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditSink.class);
    private static final int PAGE = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Database db;
    private final AuditStore audit;
    private final PrintStream out;
    private final boolean ownsOutput;
    private final String name;
    private final long intervalNanos;
    private final Map<AuditChain, Long> written = new EnumMap<>(AuditChain.class);
    private final Thread thread;
    private volatile boolean closed;
    private long lastErrorLog;

    /**
     * Starts tailing from the chains' heads as they are now.
     *
     * @param out        where lines go
     * @param ownsOutput whether {@link #close()} closes {@code out} (a file) or leaves it open (stdout)
     * @param name       how logs name the sink ({@code stdout}, {@code file:...})
     */
    public AuditSink(Database db, AuditStore audit, PrintStream out, boolean ownsOutput, String name,
                     Duration interval) {
        this.db = db;
        this.audit = audit;
        this.out = out;
        this.ownsOutput = ownsOutput;
        this.name = name;
        this.intervalNanos = interval.toNanos();
        for (AuditChain chain : AuditChain.values()) {
            written.put(chain, db.read(c -> audit.head(c, chain)).seq());
        }
        this.thread = Thread.ofPlatform().name("keygate-audit-sink").daemon(true).start(this::run);
        log.info("audit sink: writing every committed audit event to {}", name);
    }

    private void run() {
        while (!closed) {
            try {
                poll();
            } catch (RuntimeException e) {
                errorAtMostOnceAMinute("audit sink: reading new events failed; trying again", e);
            }
            LockSupport.parkNanos(intervalNanos);
        }
    }

    /** Writes every event committed since the last pass; one pass at a time. */
    private synchronized void poll() {
        for (AuditChain chain : AuditChain.values()) {
            List<AuditEvent> page;
            do {
                long after = written.get(chain);
                page = db.read(c -> audit.chainPage(c, chain, after, PAGE));
                if (page.isEmpty()) {
                    break;
                }
                if (page.getFirst().seq() != after + 1) {
                    // Retention deleted them before this node wrote them (it was far behind, or the store was
                    // pruned by another node meanwhile): say so, since a shipper would see a gap in seq.
                    log.warn("audit sink: {} events {} to {} were pruned before they were written", chain.apiName(),
                            after + 1, page.getFirst().seq() - 1);
                }
                for (AuditEvent e : page) {
                    out.println(line(e));
                }
                out.flush();
                written.put(chain, page.getLast().seq());
            } while (page.size() == PAGE);
        }
        if (out.checkError()) {
            errorAtMostOnceAMinute("audit sink: writing to " + name + " failed; events may be missing from it "
                    + "(keygate audit export can write them again)", null);
        }
    }

    /** The event as the API writes it: snake_case, in its field order, null fields left out. */
    static String line(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("time", e.time() == null ? null : e.time().toString());
        m.put("action", e.action());
        m.put("actor_token_id", e.actorTokenId());
        m.put("actor_principal", e.actorPrincipal());
        m.put("target", e.target());
        m.put("permission", e.permission());
        m.put("decision", e.decision());
        m.put("code", e.code());
        m.put("client_ip", e.clientIp());
        m.put("request_ip", e.requestIp());
        m.put("user_agent", e.userAgent());
        m.put("detail", e.detail());
        m.put("count", e.count());
        m.put("repeat_offsets_ms", e.repeatOffsets());
        m.put("chain", e.chain() == null ? null : e.chain().apiName());
        m.put("seq", e.seq());
        m.put("hash", e.hash());
        m.values().removeIf(v -> v == null);
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("strings and numbers always serialize", impossible);
        }
    }

    private synchronized void errorAtMostOnceAMinute(String message, Exception e) {
        long now = System.nanoTime();
        if (lastErrorLog == 0 || now - lastErrorLog > TimeUnit.MINUTES.toNanos(1)) {
            lastErrorLog = now;
            log.error(message, e);
        }
    }

    /**
     * Stops tailing after one last pass, so that everything committed so far (the drained audit writer's last
     * batch included) is written; closes a file sink. Idempotent.
     */
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
        try {
            poll();
        } catch (RuntimeException e) {
            log.error("audit sink: the last pass failed; events may be missing from {}", name, e);
        }
        if (ownsOutput) {
            out.close();
        } else {
            out.flush();
        }
    }
}
