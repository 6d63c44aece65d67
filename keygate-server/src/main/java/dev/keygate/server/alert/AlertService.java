package dev.keygate.server.alert;

import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Raises alerts ({@link AlertSink}) and reads them back. Raising one stores it, appends its audit event
 * ({@code alert.<rule>}, the token concerned as actor and target) and queues one delivery per configured
 * webhook, all on the caller's connection; the deliverer is woken at once, and finds the deliveries when the
 * transaction has committed (at the latest one poll interval later).
 */
public final class AlertService implements AlertSink {

    /** Rule names: they become the audit action {@code alert.<rule>}. */
    private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final int MAX_DETAIL = 1000;

    private final Database db;
    private final AlertStore store;
    private final AuditStore audit;
    private final List<String> webhooks;
    private final Clock clock;
    private final Runnable wake;
    private final AlertSink observer;

    AlertService(Database db, AlertStore store, AuditStore audit, List<String> webhooks, Clock clock, Runnable wake,
                 AlertSink observer) {
        this.db = db;
        this.store = store;
        this.audit = audit;
        this.webhooks = List.copyOf(webhooks);
        this.clock = clock;
        this.wake = wake;
        this.observer = observer;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the alert has no rule, or one that is not {@code [a-z][a-z0-9_]{0,63}}
     */
    @Override
    public void raise(Connection c, Alert alert) throws SQLException {
        if (alert.rule() == null || !RULE.matcher(alert.rule()).matches()) {
            throw new IllegalArgumentException("an alert's rule must match [a-z][a-z0-9_]{0,63}, was " + alert.rule());
        }
        Instant time = alert.time() != null ? alert.time() : clock.instant();
        String detail = alert.detail() != null && alert.detail().length() > MAX_DETAIL
                ? alert.detail().substring(0, MAX_DETAIL) : alert.detail();
        Alert stored = new Alert(null, time, alert.rule(), alert.tokenId(), alert.principal(), alert.ip(), detail);
        long id = store.insert(c, stored);
        String note = "alert_id=" + id + (alert.ip() == null ? "" : " ip=" + alert.ip())
                + (detail == null ? "" : ": " + detail);
        // Actor and target are the token concerned, as in the verify events that raise alerts, so that the alert
        // shows in the token's and its principal's history; for failures from one address, the address is the target.
        audit.append(c, List.of(new AuditEvent(null, time, "alert." + alert.rule(), alert.tokenId(),
                alert.principal(), alert.tokenId() != null ? alert.tokenId() : alert.ip(), null, "allow",
                AuditEvent.OK, null, null, note, null)));
        store.queueDeliveries(c, id, webhooks, time);
        observer.raise(c, new Alert(id, time, stored.rule(), stored.tokenId(), stored.principal(), stored.ip(),
                stored.detail()));
        if (!webhooks.isEmpty()) {
            wake.run();
        }
    }

    /**
     * A page of alerts, newest first, with their deliveries, and whether older ones remain.
     *
     * @throws dev.keygate.core.error.ForbiddenException without {@code keygate.alerts:read}
     */
    public AlertPage query(Caller caller, AlertQuery query) {
        caller.require(AdminPermissions.ALERTS_READ);
        // One alert more than asked tells whether a next page exists, so the last page never carries a cursor.
        AlertQuery probe = new AlertQuery(query.rule(), query.tokenId(), query.since(), query.beforeId(),
                query.limit() + 1);
        List<AlertPage.Entry> entries = db.read(c -> store.query(c, probe));
        return entries.size() > query.limit()
                ? new AlertPage(entries.subList(0, query.limit()), true)
                : new AlertPage(entries, false);
    }
}
