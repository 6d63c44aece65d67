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

    /** A page of events in the query's order, and whether more remain beyond it. */
    public AuditPage query(Caller caller, AuditQuery query) {
        caller.require(AdminPermissions.AUDIT_READ);
        // One event more than asked tells whether a next page exists, so the last page never carries a cursor.
        AuditQuery probe = query.withLimit(query.limit() + 1);
        List<AuditEvent> events = db.read(c -> audit.query(c, probe));
        return events.size() > query.limit()
                ? new AuditPage(List.copyOf(events.subList(0, query.limit())), true)
                : new AuditPage(events, false);
    }
}
