package dev.keygate.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.store.Database;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alert retention ({@code --alert-retention}, 90 days by default) on the real store of a running server, with time
 * moved by the server's clock: alerts raised before the cutoff go with their deliveries, except while a delivery is
 * pending; ended suppressions go; a retention of 0 keeps alerts; the server's schedule prunes without being asked.
 * The alerts here are written through the store, under webhook names no server is configured with (so no deliverer
 * touches them), and this class's server is not used over HTTP once its clock has moved past its admin token's life.
 */
class AlertRetentionTest extends EndToEndTest {

    private static final Duration RETENTION = Duration.ofDays(90);

    private Database db;
    private final JdbcAlertStore alertStore = new JdbcAlertStore();

    @BeforeEach
    void open() {
        db = Database.open(server.storeConfig());
    }

    @AfterEach
    void close() {
        db.close();
    }

    /**
     * Stores an alert raised at {@code at} with one delivery per state given ({@code pending}, {@code delivered},
     * {@code failed}), each to a webhook of its own; returns its id.
     */
    private long alert(Instant at, Delivery.State... deliveries) {
        String token = TestServer.unique("tok_retention");
        long id = db.inTransaction(c -> alertStore.insert(c, new Alert(null, at, Alert.DEAD_TOKEN_USE, token, "p",
                "192.0.2.1", "test")));
        for (int i = 0; i < deliveries.length; i++) {
            String webhook = "retention-" + i;
            Delivery.State state = deliveries[i];
            db.inTransaction(c -> {
                alertStore.queueDeliveries(c, id, List.of(webhook), at);
                return null;
            });
            if (state != Delivery.State.PENDING) {
                end(id, webhook, state, at);
            }
        }
        return id;
    }

    /** Makes the first attempt of a pending delivery and ends it in {@code state}. */
    private void end(long alertId, String webhook, Delivery.State state, Instant at) {
        db.autoCommit(c -> {
            assertThat(alertStore.claim(c, new AlertStore.Due(alertId, webhook, 0, at), at, at.plusSeconds(40)))
                    .isTrue();
            alertStore.finish(c, alertId, webhook, 1, state, state == Delivery.State.DELIVERED ? 204 : 500,
                    state == Delivery.State.DELIVERED ? null : "HTTP 500", at, null);
            return null;
        });
    }

    private static long alertsWithId(TestServer on, long id) {
        return on.count("SELECT COUNT(*) FROM alerts WHERE id = " + id);
    }

    private static long deliveriesOf(TestServer on, long id) {
        return on.count("SELECT COUNT(*) FROM alert_deliveries WHERE alert_id = " + id);
    }

    private static AlertRetention.Pruned pruneAt(TestServer on, Instant now) {
        on.clock().set(now);
        return on.server().alertRetention().pruneNow();
    }

    @Test
    void pruneNowWhenAlertsAreOlderThanTheRetentionThenDeletedWithTheirDeliveriesUnlessOneIsPending() {
        Instant cutoff = server.clock().instant().plus(Duration.ofDays(1));
        Instant old = cutoff.minusMillis(1);
        long bare = alert(old);
        long ended = alert(old, Delivery.State.DELIVERED, Delivery.State.FAILED);
        long pending = alert(old, Delivery.State.DELIVERED, Delivery.State.PENDING);
        long atCutoff = alert(cutoff, Delivery.State.DELIVERED);

        AlertRetention.Pruned pruned = pruneAt(server, cutoff.plus(RETENTION));

        assertThat(pruned.alerts()).isGreaterThanOrEqualTo(2);
        assertThat(alertsWithId(server, bare)).as("an old alert without deliveries").isZero();
        assertThat(alertsWithId(server, ended)).as("an old alert whose deliveries ended").isZero();
        assertThat(deliveriesOf(server, ended)).isZero();
        assertThat(alertsWithId(server, pending)).as("an old alert with a pending delivery").isOne();
        assertThat(deliveriesOf(server, pending)).as("every delivery of that alert").isEqualTo(2);
        assertThat(alertsWithId(server, atCutoff)).as("an alert exactly as old as the retention").isOne();
        assertThat(deliveriesOf(server, atCutoff)).isOne();

        end(pending, "retention-1", Delivery.State.FAILED, cutoff.plus(RETENTION));
        pruneAt(server, cutoff.plus(RETENTION));

        assertThat(alertsWithId(server, pending)).as("once its last delivery ended").isZero();
        assertThat(deliveriesOf(server, pending)).isZero();
        assertThat(alertsWithId(server, atCutoff)).isOne();

        pruneAt(server, cutoff.plus(RETENTION).plusMillis(1));

        assertThat(alertsWithId(server, atCutoff)).isZero();
        assertThat(deliveriesOf(server, atCutoff)).isZero();
    }

    @Test
    void pruneNowWhenTokensCanNoLongerBeUsedThenTheNetworksRememberedForThemGoAndALiveOnesStay() {
        try (TestServer s = TestServer.start(store); Database sdb = Database.open(s.storeConfig())) {
            String principal = TestServer.unique("networks-svc");
            s.createPrincipal(principal, "service");
            String role = s.newRole("networks", "n.items:read");
            String live = s.mint(principal, List.of(role), Map.of("ttl", "1h")).get("id").asText();
            String revoked = s.mint(principal, List.of(role), Map.of("ttl", "1h")).get("id").asText();
            String expiring = s.mint(principal, List.of(role), Map.of("ttl", "1m")).get("id").asText();
            TestServer.expect(s.post("/v1/tokens/" + revoked + "/revoke", s.adminToken(), Map.of()), 200);
            Instant now = s.clock().instant();
            sdb.inTransaction(c -> {
                for (String token : List.of(live, revoked, expiring, "tok_gone00000000000000")) {
                    alertStore.rememberNetwork(c, token, "192.0.2.0/24", now);
                    alertStore.rememberNetwork(c, token, "198.51.100.0/24", now);
                }
                return null;
            });

            AlertRetention.Pruned pruned = pruneAt(s, now.plus(Duration.ofMinutes(2)));

            assertThat(pruned.networks()).isEqualTo(6);
            assertThat(s.count("SELECT COUNT(*) FROM alert_token_networks WHERE token_id = '" + live + "'"))
                    .as("the live token's").isEqualTo(2);
            assertThat(s.count("SELECT COUNT(*) FROM alert_token_networks WHERE token_id IN ('" + revoked + "', '"
                    + expiring + "', 'tok_gone00000000000000')")).as("revoked, expired, unknown").isZero();
        }
    }

    @Test
    void pruneNowWhenMoreAlertsThanABatchAreDueThenEveryOneIsDeleted() {
        Instant old = server.clock().instant().plus(Duration.ofDays(1));
        String token = TestServer.unique("tok_batch");
        db.inTransaction(c -> {
            for (int i = 0; i < AlertRetention.BATCH * 2 + 1; i++) {
                alertStore.insert(c, new Alert(null, old, Alert.USAGE_SPIKE, token, "p", null, "test"));
            }
            return null;
        });
        String count = "SELECT COUNT(*) FROM alerts WHERE token_id = '" + token + "'";
        assertThat(server.count(count)).isEqualTo(AlertRetention.BATCH * 2 + 1);

        AlertRetention.Pruned pruned = pruneAt(server, old.plus(RETENTION).plusMillis(1));

        assertThat(pruned.alerts()).isGreaterThanOrEqualTo(AlertRetention.BATCH * 2 + 1);
        assertThat(server.count(count)).isZero();
    }

    @Test
    void pruneNowWhenSuppressionsEndedThenTheyAreDeletedAndThoseInForceKept() {
        Instant now = server.clock().instant().plus(Duration.ofDays(1));
        String endedSubject = TestServer.unique("ended");
        String inForceSubject = TestServer.unique("in-force");
        db.inTransaction(c -> {
            alertStore.suppress(c, Alert.DEAD_TOKEN_USE, endedSubject, now, now.plus(Duration.ofHours(1)));
            alertStore.suppress(c, Alert.DEAD_TOKEN_USE, inForceSubject, now, now.plus(Duration.ofHours(3)));
            return null;
        });

        AlertRetention.Pruned pruned = pruneAt(server, now.plus(Duration.ofHours(2)));

        assertThat(pruned.suppressions()).isPositive();
        assertThat(server.count("SELECT COUNT(*) FROM alert_suppressions WHERE subject = '" + endedSubject + "'"))
                .isZero();
        assertThat(server.count("SELECT COUNT(*) FROM alert_suppressions WHERE subject = '" + inForceSubject + "'"))
                .isOne();
    }

    @Test
    void pruneNowWhenTheRetentionIsZeroThenAlertsAreKeptForEverButEndedSuppressionsGo() {
        try (TestServer s = TestServer.start(store, b -> b.alerts(a -> a.retention("0")));
             Database sdb = Database.open(s.storeConfig())) {
            Instant now = s.clock().instant();
            long id = sdb.inTransaction(c -> {
                alertStore.suppress(c, Alert.NEW_NETWORK, "tok_zero", now, now.plus(Duration.ofHours(1)));
                return alertStore.insert(c, new Alert(null, now, Alert.NEW_NETWORK, "tok_zero", "p", null, "test"));
            });

            AlertRetention.Pruned pruned = pruneAt(s, now.plus(Duration.ofDays(3650)));

            assertThat(pruned.alerts()).isZero();
            assertThat(alertsWithId(s, id)).isOne();
            assertThat(s.count("SELECT COUNT(*) FROM alert_suppressions")).isZero();
        }
    }

    @Test
    void scheduleWhenTheIntervalElapsesThenTheServerPrunesAlertsRaisedByItsRulesWithoutBeingAsked() {
        try (TestServer s = TestServer.start(store, b -> b.auditPruneInterval(Duration.ofMillis(20))
                .alerts(a -> a.retention("7d")))) {
            JsonNode token = s.principalWithToken(TestServer.unique("alr-ret"), "alerts.retention:read");
            String id = token.get("id").asText();
            TestServer.expect(s.post("/v1/tokens/" + id + "/revoke", s.adminToken(), Map.of()), 200);
            AlertTesting.verifyTimes(s, 1, token.get("token").asText(), null, "192.0.2.77");
            String alerts = "SELECT COUNT(*) FROM alerts WHERE token_id = '" + id + "'";
            assertThat(s.count(alerts)).isOne();

            s.clock().advance(Duration.ofDays(7).plusMillis(1));

            AlertTesting.await(() -> s.count(alerts), n -> n == 0, "the scheduled retention pruned the alert");
        }
    }
}
