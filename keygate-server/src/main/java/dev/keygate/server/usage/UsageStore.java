package dev.keygate.server.usage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where usage roll-ups and the tokens' last-use addresses are kept. */
public interface UsageStore {

    /**
     * A token's last use as the audit writer records it with each batch (see
     * {@link dev.keygate.server.token.TokenStore#touch}): when and from where; either may be {@code null} (never
     * used, or last used before V8).
     */
    record LastUse(Instant at, String ip) {
    }

    /**
     * Adds counts to the roll-ups, creating the rows that do not exist yet. Rows are written in key order, so that
     * concurrent writers (other nodes) lock them in the same order.
     */
    void add(Connection c, Collection<UsageCount> counts) throws SQLException;

    /** The token's last use, or empty when there is no token with this id. */
    Optional<LastUse> lastUse(Connection c, String tokenId) throws SQLException;

    /**
     * The token's roll-up rows of {@code granularity} with a bucket start in {@code [from, until)}, by bucket start,
     * permission ({@code null} first) and decision; at most {@code limit} rows.
     */
    List<UsageCount> read(Connection c, String tokenId, Granularity granularity, long from, long until, int limit)
            throws SQLException;

    /** The distinct permissions asked in allowed verifications per token, in day buckets starting at or after
     * {@code from} (verifications that asked no permission left out). */
    Map<String, Set<String>> allowedPermissionsSince(Connection c, long from) throws SQLException;

    /** Deletes the rows of {@code granularity} whose bucket starts before {@code before}; returns how many. */
    int prune(Connection c, Granularity granularity, long before) throws SQLException;
}
