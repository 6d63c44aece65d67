package dev.keygate.server.token;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenStatus;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Revokes tokens with all their descendants (Vault's token tree), inside the caller's transaction: each
 * revocation gets its audit event and its change message to the other nodes. After the commit the caller must
 * pass the result to {@link #invalidate} so this node's cache drops the revoked views at once.
 */
public final class Revocations {

    /** How far back a revocation follows a rotation line (a bound against a corrupt store, never reached). */
    private static final int MAX_LINE = 64;

    private final Database db;
    private final TokenStore tokens;
    private final AuditStore audit;
    private final ChangeEvents changes;

    public Revocations(Database db, TokenStore tokens, AuditStore audit, ChangeEvents changes) {
        this.db = db;
        this.tokens = tokens;
        this.audit = audit;
        this.changes = changes;
    }

    /**
     * Revokes each of {@code roots} and every descendant of theirs that is not revoked yet.
     *
     * @param cause  the audit detail of each descendant's event, saying why it went (e.g. its ancestor)
     * @return the ids this call revoked, roots first
     */
    public List<String> revokeTrees(Connection c, Collection<String> roots, Caller caller, Instant now,
                                    String reason, String cause) throws SQLException {
        return revokeTrees(c, roots, caller, now, reason, cause, AdminPermissions.TOKENS_REVOKE, List.of());
    }

    /**
     * As {@link #revokeTrees(Connection, Collection, Caller, Instant, String, String)}, for a caller that was allowed
     * to by {@code permission} (which the audit events name), recording {@code leading} (the change that caused the
     * revocations) before the revocations' own events. They are appended together, after the tokens are revoked:
     * the audit chain's head is locked last in a transaction (see {@link AuditStore#append}).
     */
    public List<String> revokeTrees(Connection c, Collection<String> roots, Caller caller, Instant now,
                                    String reason, String cause, Permission permission, List<AuditEvent> leading)
            throws SQLException {
        return revokeTrees(c, roots, caller.actor(), caller.token().id(), now, reason, cause, permission, leading);
    }

    /**
     * As {@link #revokeTrees(Connection, Collection, Caller, Instant, String, String, Permission, List)}, for an
     * actor that may hold no token: a secret-scanning partner whose signature was checked.
     *
     * @param revokedBy the id of the token that revokes, recorded on each token revoked, or {@code null} when the
     *                  actor acted without one
     */
    public List<String> revokeTrees(Connection c, Collection<String> roots, AuditEvent.Actor actor, String revokedBy,
                                    Instant now, String reason, String cause, Permission permission,
                                    List<AuditEvent> leading) throws SQLException {
        Set<String> rootSet = new LinkedHashSet<>(roots);
        Set<String> seen = new HashSet<>(rootSet);
        List<String> revoked = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>(leading);
        // Level by level, and each token's children are read only after its row was revoked (which locks it):
        // a child being minted share-locks its parent, so it has either committed by then and is found, or
        // it waits and then finds its parent revoked.
        Deque<String> pending = new ArrayDeque<>(rootSet);
        while (!pending.isEmpty()) {
            String id = pending.removeFirst();
            if (tokens.revoke(c, id, now, revokedBy, reason)) {
                revoked.add(id);
                db.publishChange(c, ChangeEvents.tokenMessage(id));
                String detail = rootSet.contains(id) ? (reason == null ? null : "reason=" + reason)
                        : cause + (reason == null ? "" : " reason=" + reason);
                events.add(AuditEvent.change(now, "token.revoke", actor, id, permission.toString(),
                        detail));
            }
            for (String child : tokens.children(c, id)) {
                if (seen.add(child)) {
                    pending.addLast(child);
                }
            }
        }
        audit.append(c, events);
        return revoked;
    }

    /**
     * The token and the tokens it replaced by rotation that still work in their grace period: revoking the
     * current token of a line ends the whole line at once.
     */
    public List<String> withPredecessorsInGrace(Connection c, Token token, Instant now) throws SQLException {
        List<String> line = new ArrayList<>(List.of(token.id()));
        Token current = token;
        while (current.rotation().from() != null && line.size() <= MAX_LINE) {
            Token predecessor = tokens.findById(c, current.rotation().from()).orElse(null);
            if (predecessor == null || predecessor.statusAt(now) != TokenStatus.ACTIVE) {
                break;
            }
            line.add(predecessor.id());
            current = predecessor;
        }
        return line;
    }

    /** Drops the changed tokens' views from this node's cache; call after the transaction committed. */
    public void invalidate(Collection<String> changed) {
        for (String id : changed) {
            changes.tokenChanged(id);
        }
    }
}
