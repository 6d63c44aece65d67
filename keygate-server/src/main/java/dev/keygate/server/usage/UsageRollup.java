package dev.keygate.server.usage;

import dev.keygate.core.permission.InvalidQueryException;
import dev.keygate.core.permission.PermissionQuery;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.VerifyEventHandler;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rolls verify events up into per-token counts by hour and by UTC day, permission asked and decision. Runs on the
 * audit writer's thread, in the batch's transaction, so the verify path does nothing more for it. (The address of
 * each token's last use is written by the writer itself, with its time, in the one statement that locks the
 * token's row: a second update of that row here, after the roll-up rows, locked rows in another order than a
 * writer on another node and deadlocked on PostgreSQL.)
 *
 * <p>Holds no state between calls: a batch whose transaction is retried is aggregated afresh, and its counts are
 * written once, with the transaction that commits. Events of unknown tokens ({@code NOT_FOUND}) are not counted:
 * there is no token to count them for.
 */
public final class UsageRollup implements VerifyEventHandler {

    private final UsageStore store;

    public UsageRollup(UsageStore store) {
        this.store = store;
    }

    @Override
    public void inTransaction(Connection c, List<AuditEvent> batch) throws SQLException {
        Map<Key, Long> counts = new HashMap<>();
        // Services ask the same few queries over and over: canonicalize each text once per batch.
        Map<String, String> canonical = new HashMap<>();
        for (AuditEvent e : batch) {
            String tokenId = e.actorTokenId();
            if (!"verify".equals(e.action()) || tokenId == null) {
                continue;
            }
            String permission = e.permission() == null ? null
                    : canonical.computeIfAbsent(e.permission(), UsageRollup::canonical);
            long at = e.time().toEpochMilli();
            for (Granularity g : Granularity.values()) {
                counts.merge(new Key(tokenId, g, g.bucketStart(at), permission, e.decision()), 1L, Long::sum);
            }
        }
        store.add(c, counts.entrySet().stream()
                .map(x -> new UsageCount(x.getKey().tokenId(), x.getKey().granularity(), x.getKey().bucketStart(),
                        x.getKey().permission(), x.getKey().decision(), x.getValue()))
                .toList());
    }

    /**
     * A query in its canonical form, so that {@code a:x or b:x} and {@code a:x OR b:x} are counted together; a
     * permission as it is (its text is canonical already).
     */
    static String canonical(String asked) {
        if (!PermissionQuery.isQuery(asked)) {
            return asked;
        }
        try {
            return PermissionQuery.parse(asked).toString();
        } catch (InvalidQueryException e) {
            return asked; // verify refuses such a query before any event; kept as asked all the same
        }
    }

    private record Key(String tokenId, Granularity granularity, long bucketStart, String permission,
                       String decision) {
    }
}
