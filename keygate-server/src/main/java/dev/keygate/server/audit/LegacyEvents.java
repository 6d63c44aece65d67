package dev.keygate.server.audit;

import dev.keygate.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chains the events of a store upgraded from before the hash chain (migration V7), once, at start-up: in id
 * order, each to the chain of its action, so that nothing written before is lost or left unverifiable.
 */
public final class LegacyEvents {

    private static final Logger log = LoggerFactory.getLogger(LegacyEvents.class);
    /** Events chained per transaction: each holds both heads, so keep it short. */
    static final int BATCH = 1000;

    private LegacyEvents() {
    }

    /**
     * Chains every event that belongs to no chain. Must run before this node appends anything: an event chained
     * after newer ones would sit out of id order in its chain. Several nodes starting at once are safe: each batch
     * holds both heads, and a node returns only once none is left.
     *
     * @return how many events this call chained
     */
    public static long chain(Database db, AuditStore audit) {
        long total = 0;
        int n;
        do {
            n = db.inTransaction(c -> audit.chainUnchained(c, BATCH));
            total += n;
        } while (n == BATCH);
        if (total > 0) {
            log.info("audit log: chained {} events written before the hash chain existed", total);
        }
        return total;
    }
}
