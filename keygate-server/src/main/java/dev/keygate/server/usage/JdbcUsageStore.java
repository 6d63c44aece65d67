package dev.keygate.server.usage;

import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link UsageStore} on SQLite and PostgreSQL, with the same SQL on both: both know
 * {@code INSERT ... ON CONFLICT ... DO UPDATE} with {@code excluded}. A verification that asked no permission is
 * stored under the permission {@code ''}, since key columns cannot be null.
 */
public final class JdbcUsageStore implements UsageStore {

    private static final String NONE = "";
    private static final String UPSERT = "INSERT INTO token_usage "
            + "(token_id, granularity, bucket_start, permission, decision, count) VALUES (?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (token_id, granularity, bucket_start, permission, decision) "
            + "DO UPDATE SET count = token_usage.count + excluded.count";
    private static final String LAST_USE = "SELECT last_used_at, last_used_ip FROM tokens WHERE id = ?";
    private static final String READ = "SELECT bucket_start, permission, decision, count FROM token_usage "
            + "WHERE token_id = ? AND granularity = ? AND bucket_start >= ? AND bucket_start < ? "
            + "ORDER BY bucket_start, permission, decision LIMIT ?";
    private static final String ALLOWED_SINCE = "SELECT DISTINCT token_id, permission FROM token_usage "
            + "WHERE granularity = 'day' AND bucket_start >= ? AND decision = 'allow' AND permission <> ''";
    private static final String PRUNE = "DELETE FROM token_usage WHERE granularity = ? AND bucket_start < ?";
    private static final Comparator<UsageCount> KEY_ORDER = Comparator.comparing(UsageCount::tokenId)
            .thenComparing(UsageCount::granularity)
            .thenComparingLong(UsageCount::bucketStart)
            .thenComparing(u -> stored(u.permission()))
            .thenComparing(UsageCount::decision);

    @Override
    public void add(Connection c, Collection<UsageCount> counts) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        List<UsageCount> ordered = new ArrayList<>(counts);
        ordered.sort(KEY_ORDER);
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (UsageCount u : ordered) {
                ps.setString(1, u.tokenId());
                ps.setString(2, u.granularity().apiName());
                ps.setLong(3, u.bucketStart());
                ps.setString(4, stored(u.permission()));
                ps.setString(5, u.decision());
                ps.setLong(6, u.count());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public Optional<LastUse> lastUse(Connection c, String tokenId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LAST_USE)) {
            ps.setString(1, tokenId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new LastUse(Rows.instant(rs, "last_used_at"),
                        rs.getString("last_used_ip"))) : Optional.empty();
            }
        }
    }

    @Override
    public List<UsageCount> read(Connection c, String tokenId, Granularity granularity, long from, long until,
                                 int limit) throws SQLException {
        List<UsageCount> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setString(1, tokenId);
            ps.setString(2, granularity.apiName());
            ps.setLong(3, from);
            ps.setLong(4, until);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String permission = rs.getString("permission");
                    rows.add(new UsageCount(tokenId, granularity, rs.getLong("bucket_start"),
                            NONE.equals(permission) ? null : permission, rs.getString("decision"),
                            rs.getLong("count")));
                }
            }
        }
        return rows;
    }

    @Override
    public Map<String, Set<String>> allowedPermissionsSince(Connection c, long from) throws SQLException {
        Map<String, Set<String>> used = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(ALLOWED_SINCE)) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    used.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        return used;
    }

    @Override
    public int prune(Connection c, Granularity granularity, long before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setString(1, granularity.apiName());
            ps.setLong(2, before);
            return ps.executeUpdate();
        }
    }

    private static String stored(String permission) {
        return permission == null ? NONE : permission;
    }
}
