package dev.keygate.server.usage;

import dev.keygate.server.store.Database;
import dev.keygate.server.store.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Prunes usage roll-ups older than their granularity's {@link Granularity#retention() retention} (hourly rows 14
 * days, daily rows 400 days), once an hour on a thread of its own. What is old is decided by the injected clock,
 * counted from the start of the current bucket, so a row is deleted only once its whole bucket is out of the
 * retention period. Every node of a cluster prunes; a delete is idempotent, so that is harmless.
 */
public final class UsageRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UsageRetention.class);
    private static final long PERIOD_MINUTES = 60;
    /** Not at start-up: the first minute of a server belongs to its warm-up and its first requests. */
    private static final long FIRST_DELAY_MINUTES = 1;

    private final Database db;
    private final UsageStore store;
    private final Clock clock;
    private Periodic schedule;

    public UsageRetention(Database db, UsageStore store, Clock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** Starts pruning: first after a minute, then every hour. Returns this. */
    public synchronized UsageRetention start() {
        if (schedule == null) {
            schedule = Periodic.start("keygate-usage-retention", Duration.ofMinutes(FIRST_DELAY_MINUTES),
                    Duration.ofMinutes(PERIOD_MINUTES), Duration.ofSeconds(10), this::pruneAndLog,
                    e -> log.warn("usage retention: pruning failed; trying again in {} minutes", PERIOD_MINUTES, e));
        }
        return this;
    }

    /**
     * Deletes the rows out of retention now, in one transaction.
     *
     * @return how many rows of each granularity were deleted
     * @throws dev.keygate.server.store.StoreException if the store fails
     */
    public Map<Granularity, Integer> prune() {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            Map<Granularity, Integer> deleted = new EnumMap<>(Granularity.class);
            for (Granularity g : Granularity.values()) {
                deleted.put(g, store.prune(c, g, cutoff(g, now)));
            }
            return deleted;
        });
    }

    /** The first bucket start kept at {@code now}: rows of buckets starting earlier are pruned. */
    static long cutoff(Granularity g, Instant now) {
        return g.bucketStart(now.toEpochMilli()) - g.retention().toMillis();
    }

    private void pruneAndLog() {
        Map<Granularity, Integer> deleted = prune();
        if (deleted.values().stream().anyMatch(n -> n > 0)) {
            log.info("usage retention: pruned {}", deleted);
        }
    }

    /** Stops pruning; a prune under way is let finish (for at most 10 seconds) before the store is closed. */
    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.stop();
            schedule = null;
        }
    }
}
