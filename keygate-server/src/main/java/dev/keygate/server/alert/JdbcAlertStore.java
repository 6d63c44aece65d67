package dev.keygate.server.alert;

import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link AlertStore} on SQLite and PostgreSQL (the SQL is the same on both). */
final class JdbcAlertStore implements AlertStore {

    private static final String COLUMNS = "id, time, rule, token_id, principal, ip, detail";
    private static final String DELIVERY_COLUMNS = "alert_id, webhook, state, attempts, next_attempt_at, "
            + "last_attempt_at, last_status, last_error, delivered_at";

    @Override
    public long insert(Connection c, Alert a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alerts (time, rule, token_id, principal, ip, "
                + "detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
            Rows.setInstant(ps, 1, a.time());
            ps.setString(2, a.rule());
            Rows.setString(ps, 3, a.tokenId());
            Rows.setString(ps, 4, a.principal());
            Rows.setString(ps, 5, a.ip());
            Rows.setString(ps, 6, a.detail());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void queueDeliveries(Connection c, long alertId, Collection<String> webhooks, Instant at)
            throws SQLException {
        if (webhooks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_deliveries (alert_id, webhook, state, "
                + "attempts, next_attempt_at) VALUES (?, ?, 'pending', 0, ?)")) {
            for (String webhook : webhooks) {
                ps.setLong(1, alertId);
                ps.setString(2, webhook);
                Rows.setInstant(ps, 3, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<AlertPage.Entry> query(Connection c, AlertQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM alerts WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.rule() != null) {
            sql.append(" AND rule = ?");
            args.add(q.rule());
        }
        if (q.tokenId() != null) {
            sql.append(" AND token_id = ?");
            args.add(q.tokenId());
        }
        if (q.since() != null) {
            sql.append(" AND time >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            args.add(q.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit());
        List<Alert> alerts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    alerts.add(alert(rs));
                }
            }
        }
        if (alerts.isEmpty()) {
            return List.of();
        }
        Map<Long, List<Delivery>> deliveries = deliveries(c, alerts.stream().map(Alert::id).toList());
        List<AlertPage.Entry> entries = new ArrayList<>(alerts.size());
        for (Alert a : alerts) {
            entries.add(new AlertPage.Entry(a, deliveries.getOrDefault(a.id(), List.of())));
        }
        return entries;
    }

    /** The deliveries of the alerts {@code ids} (at most {@link AlertQuery#MAX_LIMIT}), by alert id, by webhook name. */
    private static Map<Long, List<Delivery>> deliveries(Connection c, List<Long> ids) throws SQLException {
        Map<Long, List<Delivery>> byAlert = new HashMap<>();
        String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM alert_deliveries "
                + "WHERE alert_id IN (" + marks + ") ORDER BY alert_id, webhook")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 1, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byAlert.computeIfAbsent(rs.getLong("alert_id"), id -> new ArrayList<>()).add(new Delivery(
                            rs.getString("webhook"), Delivery.State.of(rs.getString("state")), rs.getInt("attempts"),
                            Rows.instant(rs, "next_attempt_at"), Rows.instant(rs, "last_attempt_at"),
                            integerOrNull(rs, "last_status"), rs.getString("last_error"),
                            Rows.instant(rs, "delivered_at")));
                }
            }
        }
        byAlert.replaceAll((id, list) -> Collections.unmodifiableList(list));
        return byAlert;
    }

    @Override
    public Alert alert(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? alert(rs) : null;
            }
        }
    }

    @Override
    public boolean rememberNetwork(Connection c, String tokenId, String network, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_token_networks (token_id, network, "
                + "first_seen_at) VALUES (?, ?, ?) ON CONFLICT (token_id, network) DO NOTHING")) {
            ps.setString(1, tokenId);
            ps.setString(2, network);
            Rows.setInstant(ps, 3, at);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public boolean seenElsewhereBefore(Connection c, String tokenId, String network, Instant firstSeen)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM alert_token_networks WHERE token_id = ? "
                + "AND network <> ? AND (first_seen_at < ? OR (first_seen_at = ? AND network < ?)) LIMIT 1")) {
            ps.setString(1, tokenId);
            ps.setString(2, network);
            Rows.setInstant(ps, 3, firstSeen);
            Rows.setInstant(ps, 4, firstSeen);
            ps.setString(5, network);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public Instant suppress(Connection c, String rule, String subject, Instant now, Instant until)
            throws SQLException {
        // Taken when there is none, or the one there ended; a concurrent taker on PostgreSQL waits on the row
        // and then finds it in force.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_suppressions (rule, subject, "
                + "suppressed_until) VALUES (?, ?, ?) ON CONFLICT (rule, subject) DO UPDATE SET suppressed_until = "
                + "excluded.suppressed_until WHERE alert_suppressions.suppressed_until <= ?")) {
            ps.setString(1, rule);
            ps.setString(2, subject);
            Rows.setInstant(ps, 3, until);
            Rows.setInstant(ps, 4, now);
            if (ps.executeUpdate() == 1) {
                return null;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT suppressed_until FROM alert_suppressions "
                + "WHERE rule = ? AND subject = ?")) {
            ps.setString(1, rule);
            ps.setString(2, subject);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.instant(rs, "suppressed_until") : until;
            }
        }
    }

    @Override
    public int deleteNetworksOfDeadTokens(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_token_networks WHERE NOT EXISTS "
                + "(SELECT 1 FROM tokens t WHERE t.id = alert_token_networks.token_id AND t.revoked_at IS NULL "
                + "AND t.expires_at > ? AND (t.rotation_ends_at IS NULL OR t.rotation_ends_at > ?))")) {
            Rows.setInstant(ps, 1, now);
            Rows.setInstant(ps, 2, now);
            return ps.executeUpdate();
        }
    }

    @Override
    public int deleteEndedSuppressions(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_suppressions WHERE suppressed_until < ?")) {
            Rows.setInstant(ps, 1, now);
            return ps.executeUpdate();
        }
    }

    @Override
    public int pruneAlerts(Connection c, Instant before, int limit) throws SQLException {
        // A delivery never becomes pending again once it ended, and none is queued for an old alert: an alert found
        // here without a pending delivery stays so until it is deleted, on any node.
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.id FROM alerts a WHERE a.time < ? AND NOT EXISTS "
                + "(SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND d.state = 'pending') "
                + "ORDER BY a.time, a.id LIMIT ?")) {
            Rows.setInstant(ps, 1, before);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement deliveries = c.prepareStatement("DELETE FROM alert_deliveries WHERE alert_id IN ("
                + marks + ")");
             PreparedStatement alerts = c.prepareStatement("DELETE FROM alerts WHERE id IN (" + marks + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                deliveries.setLong(i + 1, ids.get(i));
                alerts.setLong(i + 1, ids.get(i));
            }
            deliveries.executeUpdate();
            return alerts.executeUpdate();
        }
    }

    @Override
    public List<Due> due(Connection c, Instant now, Collection<String> webhooks, int limit) throws SQLException {
        if (webhooks.isEmpty()) {
            return List.of();
        }
        String names = String.join(", ", Collections.nCopies(webhooks.size(), "?"));
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alert_id, webhook, attempts, next_attempt_at "
                + "FROM alert_deliveries WHERE state = 'pending' AND next_attempt_at <= ? AND webhook IN (" + names
                + ") ORDER BY next_attempt_at, alert_id LIMIT ?")) {
            int i = 1;
            Rows.setInstant(ps, i++, now);
            for (String w : webhooks) {
                ps.setString(i++, w);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getLong("alert_id"), rs.getString("webhook"), rs.getInt("attempts"),
                            Rows.instant(rs, "next_attempt_at")));
                }
            }
        }
        return due;
    }

    @Override
    public boolean claim(Connection c, Due due, Instant now, Instant leaseUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alert_deliveries SET attempts = attempts + 1, "
                + "next_attempt_at = ?, last_attempt_at = ? WHERE alert_id = ? AND webhook = ? AND state = 'pending' "
                + "AND attempts = ? AND next_attempt_at <= ?")) {
            Rows.setInstant(ps, 1, leaseUntil);
            Rows.setInstant(ps, 2, now);
            ps.setLong(3, due.alertId());
            ps.setString(4, due.webhook());
            ps.setInt(5, due.attempts());
            Rows.setInstant(ps, 6, now);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public void finish(Connection c, long alertId, String webhook, int attempt, Delivery.State state, Integer status,
                       String error, Instant at, Instant nextAttempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alert_deliveries SET state = ?, next_attempt_at = ?, "
                + "last_status = ?, last_error = ?, delivered_at = ? WHERE alert_id = ? AND webhook = ? "
                + "AND attempts = ? AND state = 'pending'")) {
            ps.setString(1, state.text());
            Rows.setInstant(ps, 2, state == Delivery.State.PENDING ? nextAttempt : null);
            if (status == null) {
                ps.setNull(3, Types.INTEGER);
            } else {
                ps.setInt(3, status);
            }
            Rows.setString(ps, 4, error);
            Rows.setInstant(ps, 5, state == Delivery.State.DELIVERED ? at : null);
            ps.setLong(6, alertId);
            ps.setString(7, webhook);
            ps.setInt(8, attempt);
            ps.executeUpdate();
        }
    }

    private static Alert alert(ResultSet rs) throws SQLException {
        return new Alert(rs.getLong("id"), Rows.instant(rs, "time"), rs.getString("rule"), rs.getString("token_id"),
                rs.getString("principal"), rs.getString("ip"), rs.getString("detail"));
    }

    private static Integer integerOrNull(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
