package dev.keygate.server.audit;

import dev.keygate.server.audit.AuditVerification.Break;
import dev.keygate.server.audit.AuditVerification.ChainReport;
import dev.keygate.server.audit.AuditVerification.CheckpointReport;
import dev.keygate.server.audit.AuditVerification.Problem;
import dev.keygate.server.store.Database;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Walks a chain in seq order, a page at a time (a large log is never held in memory), from its latest checkpoint
 * or its start, and reports the first broken link. Each page is read on its own connection, so verification holds
 * no lock and writers go on meanwhile: it checks up to the head as it was when it began.
 */
final class ChainVerifier {

    static final int PAGE = 1000;
    /** How often a walk starts again because retention pruned under it; more than that is not a race. */
    private static final int MAX_RESTARTS = 3;

    private final Database db;
    private final AuditStore audit;
    private final AuditKey key;

    ChainVerifier(Database db, AuditStore audit, AuditKey key) {
        this.db = db;
        this.audit = audit;
        this.key = key;
    }

    ChainReport verify(AuditChain chain) {
        for (int attempt = 0; ; attempt++) {
            Walk walk = new Walk(chain);
            ChainReport report = walk.run();
            if (report != null || attempt >= MAX_RESTARTS) {
                return report != null ? report : walk.report(walk.pendingBreak);
            }
        }
    }

    /** One walk of a chain; {@link #run()} returns null when retention moved the checkpoint under it. */
    private final class Walk {
        private final AuditChain chain;
        private final ChainHash hasher = new ChainHash();
        private AuditStore.ChainHead head;
        private Checkpoint checkpoint;
        private CheckpointReport checkpointReport;
        private long checked;
        private Long firstSeq;
        private Long lastSeq;
        private Break pendingBreak;

        Walk(AuditChain chain) {
            this.chain = chain;
        }

        ChainReport run() {
            head = db.read(c -> audit.head(c, chain));
            checkpoint = db.read(c -> audit.checkpoint(c, chain)).orElse(null);
            long expected = 1;
            String previous = ChainHash.GENESIS;
            if (checkpoint != null) {
                AuditKey.SignatureCheck signature = key.check(checkpoint);
                checkpointReport = new CheckpointReport(checkpoint, signature);
                if (signature != AuditKey.SignatureCheck.VALID || !ChainHash.wellFormed(checkpoint.hash())) {
                    Problem problem = signature == AuditKey.SignatureCheck.UNKNOWN_KEY
                            ? Problem.CHECKPOINT_KEY_UNKNOWN : Problem.CHECKPOINT_SIGNATURE;
                    return report(new Break(problem, checkpoint.seq(), null, signature == AuditKey.SignatureCheck
                            .UNKNOWN_KEY ? "the checkpoint is signed by key " + checkpoint.keyId() + "; this server's "
                            + "key is " + key.keyId() : "the checkpoint's signature does not hold under key "
                            + key.keyId()));
                }
                expected = checkpoint.seq() + 1;
                previous = checkpoint.hash();
            }
            long lastId = 0;
            long after = 0;
            while (true) {
                long from = after;
                List<AuditEvent> page = db.read(c -> audit.chainPage(c, chain, from, PAGE));
                for (AuditEvent e : page) {
                    long seq = e.seq();
                    if (seq > head.seq()) {
                        return finish(expected, previous, lastId);
                    }
                    if (checkpoint != null && seq <= checkpoint.seq()) {
                        return report(new Break(Problem.BEFORE_CHECKPOINT, seq, e.id(), "event " + seq
                                + " is stored, but the checkpoint says events up to " + checkpoint.seq()
                                + " were pruned"));
                    }
                    if (seq > expected) {
                        Break gap = new Break(Problem.SEQ_GAP, expected, null, seq == expected + 1
                                ? "event " + expected + " is missing"
                                : "events " + expected + " to " + (seq - 1) + " are missing");
                        return checkpointMoved() ? restart(gap) : report(gap);
                    }
                    if (e.id() <= lastId) {
                        // Ids grow with seq in a chain (both are assigned under the head lock): the event before
                        // this one holds a later row, so one of the two was moved.
                        return report(new Break(Problem.OUT_OF_ORDER, seq - 1, lastId, "event " + (seq - 1)
                                + " is stored as id " + lastId + ", after event " + seq + " (id " + e.id() + ")"));
                    }
                    if (!Objects.equals(e.hash(), hasher.next(previous, chain, seq, e))) {
                        return report(new Break(Problem.HASH_MISMATCH, seq, e.id(), checkpoint != null
                                && seq == checkpoint.seq() + 1
                                ? "event " + seq + " does not hash to its stored hash from the checkpoint's hash"
                                : "event " + seq + " does not hash to its stored hash"));
                    }
                    previous = e.hash();
                    lastId = e.id();
                    expected = seq + 1;
                    if (firstSeq == null) {
                        firstSeq = seq;
                    }
                    lastSeq = seq;
                    checked++;
                }
                if (page.size() < PAGE) {
                    return finish(expected, previous, lastId);
                }
                after = page.getLast().seq();
            }
        }

        private ChainReport finish(long expected, String previous, long lastId) {
            long last = expected - 1;
            if (last < head.seq()) {
                Break truncated = new Break(Problem.TRUNCATED, last + 1, null, "the head is at event " + head.seq()
                        + " but the last event stored is " + last + (last + 1 == head.seq() ? ": event " + head.seq()
                        + " is missing" : ": events " + (last + 1) + " to " + head.seq() + " are missing"));
                return checkpointMoved() ? restart(truncated) : report(truncated);
            }
            if (!previous.equals(head.hash())) {
                return report(new Break(Problem.HEAD_MISMATCH, last, lastId == 0 ? null : lastId,
                        "event " + last + " checks out, but its hash is not the one the head holds"));
            }
            // One statement reads the head and the largest seq together: rows appended meanwhile move both.
            AuditStore.ChainTail tail = db.read(c -> audit.tail(c, chain));
            if (tail.maxSeq() != null && tail.maxSeq() > tail.head().seq()) {
                return report(new Break(Problem.BEYOND_HEAD, tail.head().seq() + 1, null, "events up to "
                        + tail.maxSeq() + " are stored, but the head is at " + tail.head().seq()));
            }
            return report(null);
        }

        private boolean checkpointMoved() {
            Optional<Checkpoint> now = db.read(c -> audit.checkpoint(c, chain));
            long was = checkpoint == null ? 0 : checkpoint.seq();
            return now.map(Checkpoint::seq).orElse(0L) != was;
        }

        private ChainReport restart(Break found) {
            pendingBreak = found;
            return null;
        }

        ChainReport report(Break broken) {
            return new ChainReport(chain, checked, firstSeq, lastSeq, head.seq(), checkpointReport, broken);
        }
    }
}
