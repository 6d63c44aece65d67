package dev.keygate.server.alert;

import dev.keygate.server.store.Database;
import dev.keygate.server.store.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Keeps the alert tables from growing for ever: on each node, every interval, deletes the alerts raised more than
 * {@link AlertConfig#retention()} ago with their deliveries (an alert with a delivery still pending is kept until
 * that delivery ends), the rules' suppressions that ended, and the networks remembered for tokens that can no longer
 * be used (whose use is a dead token's, never a new network's). What is old is decided by the injected clock. Several
 * nodes pruning at once is harmless: a delete is idempotent. The alerts stay in the audit log as
 * {@code alert.<rule>} events, which the audit log's own retention governs.
 */
public final class AlertRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertRetention.class);
    /** Alerts deleted per transaction: bounds how long writers wait on SQLite, and the work a failure loses. */
    static final int BATCH = 1_000;
    /** Not at start-up: the first minute of a server belongs to its warm-up and its first requests. */
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);

    private final Database db;
    private final AlertStore store;
    private final Duration retention;
    private final Clock clock;
    /** Held by a run, so that a scheduled run and one asked for do not interleave their batches. */
    private final Object pruning = new Object();
    private Periodic schedule;

    AlertRetention(Database db, AlertStore store, Duration retention, Clock clock) {
        this.db = db;
        this.store = store;
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = clock;
    }

    /**
     * Starts the schedule: the first run a minute after start-up (or after {@code interval}, if shorter), then
     * every {@code interval}. An interval of zero schedules nothing, leaving it to {@link #pruneNow()} (tests, and
     * embedders with their own schedule). Returns this.
     */
    public synchronized AlertRetention start(Duration interval) {
        if (schedule != null || interval.isZero() || interval.isNegative()) {
            return this;
        }
        schedule = Periodic.start("keygate-alert-retention", FIRST_RUN, interval,
                Duration.ofSeconds(10), this::pruneNow,
                e -> log.warn("alert retention failed; it runs again at the next interval", e));
        return this;
    }

    /** What one run deleted. */
    public record Pruned(int alerts, int suppressions, int networks) {
    }

    /**
     * Prunes now: the alerts raised before now minus the retention (none when the retention is zero), in
     * transactions of up to {@value #BATCH}, with their deliveries, except those with a delivery still pending;
     * and the suppressions that ended before now.
     *
     * @return how many alerts and suppressions were deleted
     * @throws dev.keygate.server.store.StoreException if the store fails (what earlier transactions deleted stays
     *                                                 deleted)
     */
    public Pruned pruneNow() {
        synchronized (pruning) {
            return prune(clock.instant());
        }
    }

    private Pruned prune(Instant now) {
        int suppressions = db.autoCommit(c -> store.deleteEndedSuppressions(c, now));
        int networks = db.autoCommit(c -> store.deleteNetworksOfDeadTokens(c, now));
        int alerts = 0;
        if (!retention.isZero()) {
            Instant cutoff = now.minus(retention);
            int deleted;
            do {
                deleted = db.inTransaction(c -> store.pruneAlerts(c, cutoff, BATCH));
                alerts += deleted;
            } while (deleted == BATCH);
            if (alerts > 0) {
                log.info("alert retention: deleted {} alerts raised before {}, with their deliveries", alerts, cutoff);
            }
        }
        log.debug("alert retention: deleted {} ended suppressions and {} networks of dead tokens", suppressions,
                networks);
        return new Pruned(alerts, suppressions, networks);
    }

    /** Stops the schedule, letting a run in progress finish (for at most 10 seconds). Idempotent. */
    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.stop();
            schedule = null;
        }
    }
}
