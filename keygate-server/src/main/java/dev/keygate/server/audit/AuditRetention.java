package dev.keygate.server.audit;

import dev.keygate.server.store.Database;
import dev.keygate.server.store.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Retention of the verify chain: on each node, every {@code interval}, deletes the prefix of the chain older than
 * the retention, after writing a signed {@link Checkpoint} of the last event deleted in the same transaction, so
 * that what remains still verifies. The admin chain is never pruned.
 *
 * <p>Fails closed: it prunes only a prefix it has checked (each event's hash, from the checkpoint it starts from,
 * whose signature it checks too), so that it never signs over, and deletes, the evidence of tampering. Several
 * nodes pruning at once are safe: each batch holds the store's retention lock, and starts from the checkpoint
 * the previous one left.
 */
public final class AuditRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);
    /** Events deleted per transaction: bounds the time writers wait on SQLite, and the work a failure loses. */
    static final int BATCH = 10_000;
    /** The first run after start-up, so that a node that restarts often still prunes. */
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);
    static final String PRUNE_ACTION = "audit.prune";

    private final Database db;
    private final AuditStore audit;
    private final AuditKey key;
    private final Duration retention;
    private final Clock clock;
    private final Periodic schedule;

    /**
     * Starts the schedule: the first run a minute after start-up (or after {@code interval}, if shorter), then
     * every {@code interval}. A retention of zero keeps everything, and nothing is scheduled; an interval of zero
     * schedules nothing either, leaving it to {@link #pruneNow()}.
     */
    public AuditRetention(Database db, AuditStore audit, AuditKey key, Duration retention, Duration interval,
                          Clock clock) {
        this.db = db;
        this.audit = audit;
        this.key = key;
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = clock;
        this.schedule = retention.isZero() || interval.isZero() ? null
                : Periodic.start("keygate-audit-retention", FIRST_RUN, interval,
                        Duration.ofSeconds(30), this::pruneNow,
                        e -> log.error("audit retention failed; it runs again at the next interval", e));
    }

    /**
     * Prunes now: deletes every verify event older than the retention that starts the chain (the prefix up to the
     * first event that is not), checkpointing as it goes. Does nothing when retention is off.
     *
     * @return how many events this call deleted; 0 when none was old enough, or when pruning was refused
     *         because the chain or its checkpoint does not check out (logged as an error)
     */
    public synchronized long pruneNow() {
        if (retention.isZero()) {
            return 0;
        }
        Instant now = clock.instant();
        Instant cutoff = now.minus(retention);
        long total = 0;
        Long firstSeq = null;
        long lastSeq = 0;
        try {
            while (true) {
                Batch batch = db.inTransaction(c -> pruneBatch(c, cutoff, now));
                if (batch == null) {
                    break;
                }
                total += batch.deleted();
                firstSeq = firstSeq == null ? batch.firstSeq() : firstSeq;
                lastSeq = batch.lastSeq();
                if (batch.checked() < BATCH) {
                    break;
                }
            }
        } catch (Refused e) {
            log.error("audit retention: not pruning the verify chain, so that the evidence stays: {}; run "
                    + "'keygate audit verify' and see docs/audit.md", e.getMessage());
        }
        if (total > 0) {
            record(now, cutoff, firstSeq, lastSeq, total);
        }
        return total;
    }

    /** One transaction: checks and deletes up to {@link #BATCH} events; null when none was old enough. */
    private Batch pruneBatch(Connection c, Instant cutoff, Instant now) throws SQLException {
        audit.lockRetention(c, AuditChain.VERIFY);
        Optional<Checkpoint> checkpoint = audit.checkpoint(c, AuditChain.VERIFY);
        String previous = ChainHash.GENESIS;
        long expected = 1;
        if (checkpoint.isPresent()) {
            Checkpoint cp = checkpoint.get();
            AuditKey.SignatureCheck check = key.check(cp);
            if (check == AuditKey.SignatureCheck.UNKNOWN_KEY) {
                throw new Refused("its checkpoint (seq " + cp.seq() + ") is signed by key " + cp.keyId()
                        + ", not by this server's key " + key.keyId() + " (set KEYGATE_AUDIT_PREVIOUS_KEY to "
                        + "the old key to have it signed again)");
            }
            if (check != AuditKey.SignatureCheck.VALID || !ChainHash.wellFormed(cp.hash())) {
                throw new Refused("its checkpoint (seq " + cp.seq() + ") does not hold under the audit key");
            }
            previous = cp.hash();
            expected = cp.seq() + 1;
        }
        List<AuditEvent> page = audit.chainPage(c, AuditChain.VERIFY, expected - 1, BATCH);
        List<AuditEvent> prefix = new ArrayList<>();
        ChainHash hasher = new ChainHash();
        long lastId = 0;
        for (AuditEvent e : page) {
            if (!e.time().isBefore(cutoff)) {
                break;
            }
            if (e.seq() != expected) {
                throw new Refused("event " + expected + " is missing");
            }
            if (e.id() <= lastId) {
                throw new Refused("events " + (expected - 1) + " and " + expected + " are out of order");
            }
            if (!Objects.equals(e.hash(), hasher.next(previous, AuditChain.VERIFY, e.seq(), e))) {
                throw new Refused("event " + e.seq() + " does not hash to its stored hash");
            }
            previous = e.hash();
            lastId = e.id();
            expected++;
            prefix.add(e);
        }
        if (prefix.isEmpty()) {
            return null;
        }
        AuditEvent last = prefix.getLast();
        int deleted = audit.prune(c, key.sign(AuditChain.VERIFY, last.seq(), last.hash(), now, cutoff));
        return new Batch(prefix.size(), prefix.getFirst().seq(), last.seq(), deleted);
    }

    /** Records the run in the admin chain, which is never pruned: what was deleted, up to which checkpoint. */
    private void record(Instant now, Instant cutoff, long firstSeq, long lastSeq, long deleted) {
        log.info("audit retention: pruned {} verify events (seq {} to {}) older than {}", deleted, firstSeq, lastSeq,
                cutoff);
        AuditEvent event = AuditEvent.change(now, PRUNE_ACTION, new AuditEvent.Actor(null, "system", null, null),
                AuditChain.VERIFY.apiName(), null, "seq " + firstSeq + " to " + lastSeq + " (" + deleted
                        + " events) older than " + cutoff + "; checkpoint seq " + lastSeq + " signed by key "
                        + key.keyId());
        try {
            db.inTransaction(c -> {
                audit.append(c, List.of(event));
                return null;
            });
        } catch (RuntimeException e) {
            // The checkpoint is committed: the pruning stands, only its admin record is missing.
            log.error("audit retention: could not record the pruning in the admin chain", e);
        }
    }

    /** Stops the schedule, letting a run in progress finish its batch. */
    @Override
    public void close() {
        if (schedule != null && !schedule.stop()) {
            log.warn("audit retention still running after 30 s; closing anyway");
        }
    }

    private record Batch(int checked, long firstSeq, long lastSeq, int deleted) {
    }

    /** Pruning refused: the chain or its checkpoint does not check out. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
