package dev.keygate.server.audit;

import dev.keygate.server.store.Dialect;
import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AuditStore} on SQLite and PostgreSQL. The SQL is shared but for locking: PostgreSQL locks a chain's
 * head row ({@code FOR UPDATE}) and retention takes an advisory lock, where SQLite's {@code IMMEDIATE}
 * transactions (see {@code Database}) already hold the one write lock from their start.
 */
public final class JdbcAuditStore implements AuditStore {

    private static final String COLUMNS = "time, action, actor_token_id, actor_principal, target, permission, "
            + "decision, code, client_ip, user_agent, detail, request_ip, repeats";
    private static final String SELECT = "SELECT id, " + COLUMNS + ", chain, seq, hash FROM audit_events";
    private static final String INSERT = "INSERT INTO audit_events (" + COLUMNS + ", chain, seq, hash) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String HEAD = "SELECT seq, hash FROM audit_heads WHERE chain = ?";
    private static final String MOVE_HEAD = "UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = ? AND seq = ?";
    /** "keygate" in ASCII plus 1: the advisory lock of retention (JdbcRoleStore's is "keygate" itself). */
    private static final long RETENTION_LOCK = 0x6b657967617465L + 1;

    private final String lockHead;
    private final boolean advisoryLocks;

    public JdbcAuditStore(Dialect dialect) {
        boolean postgres = dialect == Dialect.POSTGRESQL;
        this.lockHead = postgres ? HEAD + " FOR UPDATE" : HEAD;
        this.advisoryLocks = postgres;
    }

    @Override
    public void append(Connection c, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        requireTransaction(c);
        Map<AuditChain, List<AuditEvent>> byChain = new EnumMap<>(AuditChain.class);
        for (AuditEvent e : events) {
            byChain.computeIfAbsent(AuditChain.of(e.action()), k -> new ArrayList<>()).add(e);
        }
        ChainHash hasher = new ChainHash();
        // EnumMap iterates in declaration order, which is the lock order.
        for (Map.Entry<AuditChain, List<AuditEvent>> entry : byChain.entrySet()) {
            AuditChain chain = entry.getKey();
            ChainHead head = lockedHead(c, chain);
            long seq = head.seq();
            String hash = head.hash();
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (AuditEvent e : entry.getValue()) {
                    seq++;
                    hash = hasher.next(hash, chain, seq, e);
                    bindEvent(ps, e);
                    ps.setString(14, chain.apiName());
                    ps.setLong(15, seq);
                    ps.setString(16, hash);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            moveHead(c, chain, head.seq(), seq, hash);
        }
    }

    @Override
    public List<AuditEvent> query(Connection c, AuditQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.tokenId() != null) {
            // A verify event's target is its actor: the target index leaves verify events out (V10).
            sql.append(" AND (actor_token_id = ? OR (target = ? AND action <> 'verify'))");
            args.add(q.tokenId());
            args.add(q.tokenId());
        }
        if (q.principal() != null) {
            sql.append(" AND actor_principal = ?");
            args.add(q.principal());
        }
        if (q.action() != null) {
            // The action index leaves verify events out (V10); saying so lets the store use it for the others.
            sql.append(AuditChain.VERIFY_ACTION.equals(q.action()) ? " AND action = ?"
                    : " AND action = ? AND action <> 'verify'");
            args.add(q.action());
        }
        if (q.decision() != null) {
            sql.append(" AND decision = ?");
            args.add(q.decision());
        }
        if (q.since() != null) {
            sql.append(" AND time >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND time < ?");
            args.add(q.until().toEpochMilli());
        }
        boolean newest = q.order() == AuditQuery.Order.NEWEST;
        if (q.cursorId() != null) {
            sql.append(newest ? " AND id < ?" : " AND id > ?");
            args.add(q.cursorId());
        }
        sql.append(newest ? " ORDER BY id DESC" : " ORDER BY id").append(" LIMIT ?");
        args.add(q.limit());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return events(ps);
        }
    }

    @Override
    public ChainHead head(Connection c, AuditChain chain) throws SQLException {
        return readHead(c, HEAD, chain);
    }

    @Override
    public ChainTail tail(Connection c, AuditChain chain) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT h.seq, h.hash, "
                + "(SELECT MAX(e.seq) FROM audit_events e WHERE e.chain = h.chain) AS max_seq "
                + "FROM audit_heads h WHERE h.chain = ?")) {
            ps.setString(1, chain.apiName());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw missingHead(chain);
                }
                return new ChainTail(new ChainHead(rs.getLong(1), rs.getString(2)), Rows.longOrNull(rs, "max_seq"));
            }
        }
    }

    @Override
    public List<AuditEvent> chainPage(Connection c, AuditChain chain, long afterSeq, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            ps.setString(1, chain.apiName());
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            return events(ps);
        }
    }

    @Override
    public long countUnchained(Connection c) throws SQLException {
        // Whatever a walk by seq (from 1) cannot reach: no chain, another chain, no seq, or a seq below 1.
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_events WHERE chain IS NULL "
                + "OR chain NOT IN ('admin', 'verify') OR seq IS NULL OR seq < 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public int chainUnchained(Connection c, int limit) throws SQLException {
        requireTransaction(c);
        Map<AuditChain, ChainHead> heads = new EnumMap<>(AuditChain.class);
        for (AuditChain chain : AuditChain.values()) {
            heads.put(chain, lockedHead(c, chain));
        }
        List<AuditEvent> rows;
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE chain IS NULL ORDER BY id LIMIT ?")) {
            ps.setInt(1, limit);
            rows = events(ps);
        }
        if (rows.isEmpty()) {
            return 0;
        }
        Map<AuditChain, ChainHead> moved = new EnumMap<>(heads);
        ChainHash hasher = new ChainHash();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE audit_events SET chain = ?, seq = ?, hash = ? WHERE id = ? AND chain IS NULL")) {
            for (AuditEvent e : rows) {
                AuditChain chain = AuditChain.of(e.action());
                ChainHead h = moved.get(chain);
                long seq = h.seq() + 1;
                String hash = hasher.next(h.hash(), chain, seq, e);
                moved.put(chain, new ChainHead(seq, hash));
                ps.setString(1, chain.apiName());
                ps.setLong(2, seq);
                ps.setString(3, hash);
                ps.setLong(4, e.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        for (AuditChain chain : AuditChain.values()) {
            ChainHead h = moved.get(chain);
            if (h.seq() != heads.get(chain).seq()) {
                moveHead(c, chain, heads.get(chain).seq(), h.seq(), h.hash());
            }
        }
        return rows.size();
    }

    @Override
    public Optional<Checkpoint> checkpoint(Connection c, AuditChain chain) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash, time, pruned_before, key_id, signature "
                + "FROM audit_checkpoints WHERE chain = ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, chain.apiName());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Checkpoint(chain, rs.getLong("seq"), rs.getString("hash"),
                        Rows.instant(rs, "time"), Rows.instant(rs, "pruned_before"), rs.getString("key_id"),
                        rs.getString("signature")));
            }
        }
    }

    @Override
    public void lockRetention(Connection c, AuditChain chain) throws SQLException {
        requireTransaction(c);
        if (!advisoryLocks) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, RETENTION_LOCK + chain.ordinal());
            ps.execute();
        }
    }

    @Override
    public int prune(Connection c, Checkpoint cp) throws SQLException {
        requireTransaction(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoints "
                + "(chain, seq, hash, time, pruned_before, key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, cp.chain().apiName());
            ps.setLong(2, cp.seq());
            ps.setString(3, cp.hash());
            Rows.setInstant(ps, 4, cp.time());
            Rows.setInstant(ps, 5, cp.prunedBefore());
            ps.setString(6, cp.keyId());
            ps.setString(7, cp.signature());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM audit_checkpoints WHERE chain = ? AND seq < ?")) {
            ps.setString(1, cp.chain().apiName());
            ps.setLong(2, cp.seq());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_events WHERE chain = ? AND seq <= ?")) {
            ps.setString(1, cp.chain().apiName());
            ps.setLong(2, cp.seq());
            return ps.executeUpdate();
        }
    }

    @Override
    public void resign(Connection c, Checkpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE audit_checkpoints SET key_id = ?, signature = ? WHERE chain = ? AND seq = ?")) {
            ps.setString(1, cp.keyId());
            ps.setString(2, cp.signature());
            ps.setString(3, cp.chain().apiName());
            ps.setLong(4, cp.seq());
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<String> generatedKey(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT key_base64 FROM audit_generated_key WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    @Override
    public void insertGeneratedKey(Connection c, String base64, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_generated_key (id, key_base64, created_at) "
                + "VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, base64);
            Rows.setInstant(ps, 2, now);
            ps.executeUpdate();
        }
    }

    @Override
    public boolean deleteGeneratedKey(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_generated_key")) {
            return ps.executeUpdate() > 0;
        }
    }

    private ChainHead lockedHead(Connection c, AuditChain chain) throws SQLException {
        return readHead(c, lockHead, chain);
    }

    private static ChainHead readHead(Connection c, String sql, AuditChain chain) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, chain.apiName());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw missingHead(chain);
                }
                return new ChainHead(rs.getLong(1), rs.getString(2));
            }
        }
    }

    private static void moveHead(Connection c, AuditChain chain, long from, long to, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MOVE_HEAD)) {
            ps.setLong(1, to);
            ps.setString(2, hash);
            ps.setString(3, chain.apiName());
            ps.setLong(4, from);
            if (ps.executeUpdate() != 1) {
                // Cannot happen under the head lock; if it does, failing keeps the chain from forking.
                throw new IllegalStateException("the head of audit chain " + chain.apiName()
                        + " moved while it was locked");
            }
        }
    }

    private static void requireTransaction(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("the audit chain is written in a transaction (Database.inTransaction), "
                    + "so that its head stays locked until the events commit");
        }
    }

    private static IllegalStateException missingHead(AuditChain chain) {
        return new IllegalStateException("audit chain " + chain.apiName() + " has no head row (migration V7)");
    }

    private static void bindEvent(PreparedStatement ps, AuditEvent e) throws SQLException {
        Rows.setInstant(ps, 1, e.time());
        ps.setString(2, e.action());
        Rows.setString(ps, 3, e.actorTokenId());
        Rows.setString(ps, 4, e.actorPrincipal());
        Rows.setString(ps, 5, e.target());
        Rows.setString(ps, 6, e.permission());
        ps.setString(7, e.decision());
        ps.setString(8, e.code());
        Rows.setString(ps, 9, e.clientIp());
        Rows.setString(ps, 10, e.userAgent());
        Rows.setString(ps, 11, e.detail());
        Rows.setString(ps, 12, e.requestIp());
        Rows.setString(ps, 13, e.repeats());
    }

    private static List<AuditEvent> events(PreparedStatement ps) throws SQLException {
        List<AuditEvent> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                events.add(event(rs));
            }
        }
        return events;
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        Instant time = Rows.instant(rs, "time");
        return new AuditEvent(rs.getLong("id"), time, rs.getString("action"), rs.getString("actor_token_id"),
                rs.getString("actor_principal"), rs.getString("target"), rs.getString("permission"),
                rs.getString("decision"), rs.getString("code"), rs.getString("client_ip"),
                rs.getString("user_agent"), rs.getString("detail"), rs.getString("request_ip"), rs.getString("repeats"),
                AuditChain.fromApiName(rs.getString("chain")), Rows.longOrNull(rs, "seq"), rs.getString("hash"));
    }
}
