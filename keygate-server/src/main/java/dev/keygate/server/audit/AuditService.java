package dev.keygate.server.audit;

import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.store.Database;

import java.util.List;

/** Reads the audit log. */
public final class AuditService {

    private final Database db;
    private final AuditStore audit;

    public AuditService(Database db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    /** A page of events, newest first, and whether older ones remain. */
    public AuditPage query(Caller caller, AuditQuery query) {
        caller.require(AdminPermissions.AUDIT_READ);
        // One event more than asked tells whether a next page exists, so the last page never carries a cursor.
        AuditQuery probe = new AuditQuery(query.tokenId(), query.principal(), query.action(), query.since(),
                query.beforeId(), query.limit() + 1);
        List<AuditEvent> events = db.read(c -> audit.query(c, probe));
        return events.size() > query.limit()
                ? new AuditPage(List.copyOf(events.subList(0, query.limit())), true)
                : new AuditPage(events, false);
    }
}
