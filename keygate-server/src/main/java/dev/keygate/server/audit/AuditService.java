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

    /** A page of events, newest first. */
    public List<AuditEvent> query(Caller caller, AuditQuery query) {
        caller.require(AdminPermissions.AUDIT_READ);
        return db.read(c -> audit.query(c, query));
    }
}
