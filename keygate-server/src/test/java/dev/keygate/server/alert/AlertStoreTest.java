package dev.keygate.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.audit.JdbcAuditStore;
import dev.keygate.server.store.Database;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's guarantees that delivery across nodes and the {@link AlertSink} contract rest on, on the real
 * store of a running server: a claim is won by one node only, a late outcome does not overwrite a newer attempt,
 * a suppression holds until it ends, and an alert exists exactly when the transaction that raised it commits. The
 * webhook names used here are configured on no server, so no deliverer touches their rows.
 */
class AlertStoreTest extends EndToEndTest {

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

    private long alertWithDelivery(String webhook, Instant at) {
        return db.inTransaction(c -> {
            long id = alertStore.insert(c, new Alert(null, at, Alert.TOKEN_LEAKED, null, null, null, "test"));
            alertStore.queueDeliveries(c, id, List.of(webhook), at);
            return id;
        });
    }

    private boolean claim(AlertStore.Due due, Instant now, Instant leaseUntil) {
        return db.<Boolean>autoCommit(c -> alertStore.claim(c, due, now, leaseUntil));
    }

    private List<AlertStore.Due> due(Instant now, String webhook) {
        return db.<List<AlertStore.Due>>read(c -> alertStore.due(c, now, List.of(webhook), 100));
    }

    private Instant suppress(String rule, String subject, Instant now, Instant until) {
        return db.<Instant>inTransaction(c -> alertStore.suppress(c, rule, subject, now, until));
    }

    private Delivery delivery(long alertId) {
        return db.read(c -> alertStore.query(c, new AlertQuery(null, null, null, alertId + 1, 1))).get(0).deliveries()
                .get(0);
    }

    @Test
    void claimWhenEightNodesClaimTheSameDueDeliveryAtOnceThenExactlyOneWins() throws Exception {
        Instant now = server.clock().instant();
        long id = alertWithDelivery("race", now);
        AlertStore.Due due = new AlertStore.Due(id, "race", 0, now);
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            claims.add(() -> claim(due, now, now.plusSeconds(40)));
        }

        List<Boolean> won = Race.all(claims);

        assertThat(won).filteredOn(Boolean::booleanValue).hasSize(1);
        Delivery d = delivery(id);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.state()).isEqualTo(Delivery.State.PENDING);
        assertThat(d.nextAttemptAt()).isEqualTo(now.plusSeconds(40));
        assertThat(due(now.plusSeconds(39), "race")).noneMatch(x -> x.alertId() == id);
    }

    @Test
    void finishWhenTheLeaseRanOutAndAnotherAttemptStartedThenTheLateOutcomeIsIgnored() {
        Instant now = server.clock().instant();
        long id = alertWithDelivery("lease", now);
        assertThat(claim(new AlertStore.Due(id, "lease", 0, now), now, now.plusSeconds(40))).isTrue();
        Instant later = now.plusSeconds(41);
        assertThat(due(later, "lease")).filteredOn(x -> x.alertId() == id).singleElement()
                .satisfies(x -> assertThat(x.attempts()).isEqualTo(1));
        assertThat(claim(new AlertStore.Due(id, "lease", 1, now.plusSeconds(40)), later, later.plusSeconds(40)))
                .isTrue();

        db.autoCommit(c -> {
            alertStore.finish(c, id, "lease", 1, Delivery.State.DELIVERED, 200, null, later, null);
            return null;
        });
        assertThat(delivery(id).state()).isEqualTo(Delivery.State.PENDING);

        db.autoCommit(c -> {
            alertStore.finish(c, id, "lease", 2, Delivery.State.FAILED, 500, "HTTP 500", later, null);
            return null;
        });
        Delivery d = delivery(id);
        assertThat(d.state()).isEqualTo(Delivery.State.FAILED);
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.lastError()).isEqualTo("HTTP 500");
        assertThat(d.nextAttemptAt()).isNull();
    }

    @Test
    void suppressWhenInForceThenItsEndIsReturnedAndOnceEndedItIsTakenAgain() {
        Instant now = server.clock().instant();
        String subject = TestServer.unique("subject");
        Instant end = now.plus(Duration.ofHours(1));

        assertThat(suppress("r", subject, now, end)).isNull();
        assertThat(suppress("r", subject, now.plusSeconds(10), end.plusSeconds(10))).isEqualTo(end);
        assertThat(suppress("other", subject, now, end)).isNull();
        assertThat(suppress("r", subject, end, end.plus(Duration.ofHours(1)))).isNull();
    }

    @Test
    void raiseWhenTheTransactionRollsBackThenNoAlertNoAuditEventAndNoDeliveryRemain() {
        List<String> problems = new ArrayList<>();
        AlertConfig config = AlertConfig.builder().webhook("sink=http://127.0.0.1:9/unused")
                .environment(name -> "0123456789abcdef0123").build(problems);
        assertThat(problems).isEmpty();
        Alerts alerts = Alerts.create(db, new JdbcAuditStore(db.dialect()), config, server.clock());
        String kept = TestServer.unique("tok_kept");
        String dropped = TestServer.unique("tok_dropped");

        assertThatThrownBy(() -> db.inTransaction(c -> {
            alerts.service().raise(c, new Alert(null, null, Alert.TOKEN_LEAKED, dropped, "p", null, "found in a paste"));
            throw new IllegalStateException("the change that raised it failed");
        })).hasMessageContaining("failed");
        db.inTransaction(c -> {
            alerts.service().raise(c, new Alert(null, null, Alert.TOKEN_LEAKED, kept, "p", null, "found in a paste"));
            return null;
        });

        assertThat(AlertTesting.alertsOfToken(server, dropped)).isEmpty();
        assertThat(server.get("/v1/audit?token_id=" + dropped, server.adminToken()).json().get("items")).isEmpty();
        List<JsonNode> raised = AlertTesting.alertsOfToken(server, kept);
        assertThat(raised).singleElement().satisfies(a -> {
            assertThat(a.get("rule").asText()).isEqualTo("token_leaked");
            assertThat(Instant.parse(a.get("time").asText())).isEqualTo(server.clock().instant());
            assertThat(a.get("deliveries")).singleElement().satisfies(d -> {
                assertThat(d.get("webhook").asText()).isEqualTo("sink");
                assertThat(d.get("state").asText()).isEqualTo("pending");
                assertThat(d.get("attempts").asInt()).isZero();
            });
        });
        assertThat(server.get("/v1/audit?action=alert.token_leaked&token_id=" + kept, server.adminToken()).json()
                .get("items")).hasSize(1);
    }

    @Test
    void observerWhenTheServerRaisesAnAlertThenItIsGivenTheStoredAlertOnTheRaisingConnection() {
        List<Alert> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> storedWhenSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AlertSink observer = (c, alert) -> {
            seen.add(alert);
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM alerts WHERE id = ?")) {
                ps.setLong(1, alert.id());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    storedWhenSeen.add(rs.getLong(1));
                }
            }
        };
        try (TestServer s = TestServer.start(store, b -> { }, observer)) {
            JsonNode token = s.principalWithToken(TestServer.unique("alr-observed"), "alerts.observed:read");
            String id = token.get("id").asText();
            TestServer.expect(s.post("/v1/tokens/" + id + "/revoke", s.adminToken(), java.util.Map.of()), 200);

            AlertTesting.verifyTimes(s, 1, token.get("token").asText(), null, "192.0.2.90");

            JsonNode listed = AlertTesting.alertsOfToken(s, id).get(0);
            assertThat(seen).singleElement().satisfies(a -> {
                assertThat(a.id()).isEqualTo(listed.get("id").asLong());
                assertThat(a.rule()).isEqualTo(Alert.DEAD_TOKEN_USE);
                assertThat(a.tokenId()).isEqualTo(id);
            });
            assertThat(storedWhenSeen).containsExactly(1L);
        }
    }

    @Test
    void raiseWhenTheRuleIsNotANameThenRefused() {
        Alerts alerts = Alerts.create(db, new JdbcAuditStore(db.dialect()), AlertConfig.defaults(), server.clock());

        assertThatThrownBy(() -> db.inTransaction(c -> {
            alerts.service().raise(c, new Alert(null, null, "Token Leaked!", null, null, null, null));
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[a-z][a-z0-9_]{0,63}");
    }
}
