package dev.keygate.server.audit;

import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.store.Database;

import java.util.ArrayList;
import java.util.List;

/** Reads the audit log and verifies its chains. */
public final class AuditService {

    private final Database db;
    private final AuditStore audit;
    private final ChainVerifier verifier;

    public AuditService(Database db, AuditStore audit, AuditKey key) {
        this.db = db;
        this.audit = audit;
        this.verifier = new ChainVerifier(db, audit, key);
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

    /**
     * Verifies every chain, each from its latest checkpoint (or its start) to its head as it was when its walk
     * began, and counts the events outside any chain. Reads the log a page at a time, so memory stays flat
     * however large it is; the time grows with it.
     */
    public AuditVerification verify(Caller caller) {
        caller.require(AdminPermissions.AUDIT_READ);
        List<AuditVerification.ChainReport> reports = new ArrayList<>();
        for (AuditChain chain : AuditChain.values()) {
            reports.add(verifier.verify(chain));
        }
        return new AuditVerification(reports, db.read(audit::countUnchained));
    }
}
