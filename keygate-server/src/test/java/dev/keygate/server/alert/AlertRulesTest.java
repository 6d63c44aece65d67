package dev.keygate.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.keygate.server.alert.AlertTesting.alerts;
import static dev.keygate.server.alert.AlertTesting.alertsOfIp;
import static dev.keygate.server.alert.AlertTesting.alertsOfToken;
import static dev.keygate.server.alert.AlertTesting.verifyFrom;
import static dev.keygate.server.alert.AlertTesting.verifyTimes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each alert rule end to end, with the default thresholds (20 failures in 5m, a spike of 10 × the mean with at
 * least 100 and 6 hours of history, a 1h cooldown): verifications through {@code POST /v1/verify}, time moved by
 * the server's clock, alerts read back through {@code GET /v1/alerts}. Every test states its own addresses
 * ({@code context.ip}), so that the tests' failures do not add up in one address's window.
 */
class AlertRulesTest extends EndToEndTest {

    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final String UNKNOWN = "kg_live_notarealtoken";

    /** An address no other test of this class uses (198.18.0.0/15 is for benchmarks, never routed). */
    private static String nextIp() {
        int n = ADDRESSES.incrementAndGet();
        return "198.18." + (n / 250) + "." + (n % 250 + 1);
    }

    /** The first address of a /24 no other test of this class uses. */
    private static String nextNetwork() {
        int n = ADDRESSES.addAndGet(250);
        return "198.19." + (n / 250 % 250) + ".";
    }

    private static JsonNode mint(String base, String... permissions) {
        String principal = server.newPrincipal(base);
        return server.mint(principal, List.of(server.newRole(base, permissions.length == 0
                ? new String[] {"alerts.test:read"} : permissions)), Map.of());
    }

    // ---- failed verifications ------------------------------------------------------------------------------

    @Test
    void failedVerificationsWhenTwentyFromOneAddressWithinFiveMinutesThenOneAlertNamingTheAddress() {
        String ip = nextIp();
        Instant at = server.clock().instant();
        verifyTimes(server, 19, UNKNOWN, null, ip);
        assertThat(alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, ip)).isEmpty();

        verifyTimes(server, 1, UNKNOWN, null, ip);

        List<JsonNode> raised = alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, ip);
        assertThat(raised).hasSize(1);
        JsonNode alert = raised.get(0);
        assertThat(alert.get("rule").asText()).isEqualTo("failed_verifications_ip");
        assertThat(alert.has("token_id")).isFalse();
        assertThat(alert.has("principal")).isFalse();
        assertThat(Instant.parse(alert.get("time").asText())).isEqualTo(at);
        assertThat(alert.get("detail").asText())
                .isEqualTo("20 failed verifications from " + ip + " within 5m (the last: NOT_FOUND)");
        assertThat(alert.get("deliveries")).isEmpty();
        JsonNode event = TestServer.expect(server.get("/v1/audit?action=alert.failed_verifications_ip&limit=1000",
                server.adminToken()), 200).get("items").valueStream()
                .filter(e -> ip.equals(e.path("target").asText())).findFirst().orElseThrow();
        assertThat(event.has("actor_token_id")).isFalse();
        assertThat(event.has("actor_principal")).isFalse();
        assertThat(event.get("detail").asText()).isEqualTo("alert_id=" + alert.get("id").asText() + " ip=" + ip
                + ": " + alert.get("detail").asText());
    }

    @Test
    void failedVerificationsWhenTheAttackGoesOnThenNoFurtherAlertUntilTheCooldownEnds() {
        String ip = nextIp();
        verifyTimes(server, 20, UNKNOWN, null, ip);
        verifyTimes(server, 40, UNKNOWN, null, ip);
        assertThat(alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, ip)).hasSize(1);

        server.clock().advance(Duration.ofMinutes(59));
        verifyTimes(server, 20, UNKNOWN, null, ip);
        assertThat(alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, ip)).hasSize(1);

        server.clock().advance(Duration.ofMinutes(1));
        verifyTimes(server, 20, UNKNOWN, null, ip);
        assertThat(alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, ip)).hasSize(2);
    }

    @Test
    void failedVerificationsWhenSpreadOverMoreThanTheWindowThenNoAlertUntilTwentyFallWithinIt() {
        String ip = nextIp();
        verifyTimes(server, 19, UNKNOWN, null, ip);
        server.clock().advance(Duration.ofMinutes(5));
        // The 19 are now exactly 5 minutes old: out of the window.
        verifyTimes(server, 19, UNKNOWN, null, ip);
        assertThat(alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, ip)).isEmpty();

        verifyTimes(server, 1, UNKNOWN, null, ip);

        assertThat(alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, ip)).hasSize(1);
    }

    @Test
    void failedVerificationsWhenCodesMixedThenEachDeadOrMisplacedTokenCounts() {
        String ip = nextIp();
        JsonNode bound = server.mint(server.newPrincipal("alr-mixed"), List.of(server.newRole("alr-mixed",
                "alerts.test:read")), Map.of("allowed_cidrs", List.of("10.0.0.0/8")));
        JsonNode live = mint("alr-mixed-live");
        JsonNode revoked = mint("alr-mixed-revoked");
        TestServer.expect(server.post("/v1/tokens/" + revoked.get("id").asText() + "/revoke", server.adminToken(),
                Map.of()), 200);
        for (int i = 0; i < 5; i++) {
            verifyFrom(server, UNKNOWN, null, ip);
            verifyFrom(server, bound.get("token").asText(), null, ip);
            verifyFrom(server, revoked.get("token").asText(), null, ip);
            TestServer.expect(server.post("/v1/verify", null, Map.of("token", live.get("token").asText(),
                    "environment", "staging", "context", Map.of("ip", ip))), 200);
        }
        server.flushAudit();

        List<JsonNode> raised = alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, ip);

        assertThat(raised).hasSize(1);
        assertThat(raised.get(0).get("detail").asText()).endsWith("(the last: ENVIRONMENT_MISMATCH)");
    }

    @Test
    void failedVerificationsWhenTokenLacksThePermissionThenForbiddenIsNotAFailure() {
        String ip = nextIp();
        JsonNode token = mint("alr-forbidden", "alerts.test:read");

        verifyTimes(server, 25, token.get("token").asText(), "alerts.test:write", ip);

        assertThat(alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, ip)).isEmpty();
        assertThat(alertsOfToken(server, token.get("id").asText())).isEmpty();
    }

    @Test
    void failedVerificationsWhenOneTokenFailsTwentyTimesFromManyAddressesThenOneAlertNamingTheToken() {
        JsonNode token = server.mint(server.newPrincipal("alr-bound"), List.of(server.newRole("alr-bound",
                "alerts.test:read")), Map.of("allowed_cidrs", List.of("10.0.0.0/8")));
        String id = token.get("id").asText();
        String last = null;
        for (int i = 0; i < 19; i++) {
            last = nextIp();
            verifyFrom(server, token.get("token").asText(), null, last);
        }
        server.flushAudit();
        assertThat(alertsOfToken(server, id)).isEmpty();

        String ip = nextIp();
        verifyTimes(server, 1, token.get("token").asText(), null, ip);

        List<JsonNode> raised = alertsOfToken(server, id);
        assertThat(raised).hasSize(1);
        JsonNode alert = raised.get(0);
        assertThat(alert.get("rule").asText()).isEqualTo("failed_verifications_token");
        assertThat(alert.get("principal").asText()).isEqualTo(token.get("principal").asText());
        assertThat(alert.get("ip").asText()).isEqualTo(ip);
        assertThat(alert.get("detail").asText()).isEqualTo("20 failed verifications of " + id
                + " within 5m (the last: IP_NOT_ALLOWED, from " + ip + ")");
        assertThat(alertsOfIp(server, Alert.FAILED_VERIFICATIONS_IP, last)).isEmpty();
    }

    @Test
    void failedVerificationsWhenNoAddressIsStatedThenTheVerifyingClientsAddressCounts() {
        server.flushAudit();
        List<JsonNode> before = alerts(server, "rule=failed_verifications_ip&limit=1000");

        verifyTimes(server, 20, UNKNOWN, null, null);

        List<JsonNode> raised = alerts(server, "rule=failed_verifications_ip&limit=1000");
        assertThat(raised).hasSize(before.size() + 1);
        assertThat(raised.get(0).get("ip").asText()).isIn("127.0.0.1", "::1");
    }

    // ---- dead tokens ---------------------------------------------------------------------------------------

    @Test
    void deadTokenUseWhenRevokedTokenPresentedThenOneAlertPerCooldownNamingTokenAndAddress() {
        JsonNode token = mint("alr-revoked");
        String id = token.get("id").asText();
        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(), Map.of()), 200);
        String ip = nextIp();
        Instant at = server.clock().instant();

        verifyTimes(server, 3, token.get("token").asText(), "alerts.test:read", ip);

        List<JsonNode> raised = alertsOfToken(server, id);
        assertThat(raised).hasSize(1);
        JsonNode alert = raised.get(0);
        assertThat(alert.get("rule").asText()).isEqualTo("dead_token_use");
        assertThat(alert.get("token_id").asText()).isEqualTo(id);
        assertThat(alert.get("principal").asText()).isEqualTo(token.get("principal").asText());
        assertThat(alert.get("ip").asText()).isEqualTo(ip);
        assertThat(Instant.parse(alert.get("time").asText())).isEqualTo(at);
        assertThat(alert.get("detail").asText()).isEqualTo(id + " was presented after it was revoked (REVOKED, from "
                + ip + "): whoever holds it may have found it");

        server.clock().advance(Duration.ofHours(1));
        verifyTimes(server, 1, token.get("token").asText(), null, ip);

        assertThat(alertsOfToken(server, id)).hasSize(2);
    }

    @Test
    void deadTokenUseWhenExpiredTokenPresentedThenAlert() {
        String principal = server.newPrincipal("alr-expired");
        JsonNode token = server.mint(principal, List.of(server.newRole("alr-expired", "alerts.test:read")),
                Map.of("ttl", "1h"));
        server.clock().advance(Duration.ofHours(1).plusSeconds(1));

        verifyTimes(server, 1, token.get("token").asText(), null, nextIp());

        List<JsonNode> raised = alertsOfToken(server, token.get("id").asText());
        assertThat(raised).extracting(a -> a.get("rule").asText()).containsExactly("dead_token_use");
        assertThat(raised.get(0).get("detail").asText()).contains("after it expired (EXPIRED");
    }

    @Test
    void deadTokenUseWhenRotatedTokenPresentedAfterItsGraceThenAlert() {
        JsonNode token = mint("alr-rotated");
        String id = token.get("id").asText();
        TestServer.expect(server.post("/v1/tokens/" + id + "/rotate", server.adminToken(), Map.of()), 201);

        verifyTimes(server, 1, token.get("token").asText(), null, nextIp());

        List<JsonNode> raised = alertsOfToken(server, id);
        assertThat(raised).extracting(a -> a.get("rule").asText()).containsExactly("dead_token_use");
        assertThat(raised.get(0).get("detail").asText()).contains("after it was rotated out (ROTATED");
    }

    @Test
    void deadTokenUseWhenAlertRaisedThenTheAuditLogRecordsItAgainstTheTokenAndItsPrincipal() {
        JsonNode token = mint("alr-audited");
        String id = token.get("id").asText();
        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(), Map.of()), 200);
        String ip = nextIp();

        verifyTimes(server, 1, token.get("token").asText(), null, ip);

        JsonNode alert = alertsOfToken(server, id).get(0);
        JsonNode events = TestServer.expect(server.get("/v1/audit?action=alert.dead_token_use&token_id=" + id,
                server.adminToken()), 200).get("items");
        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.get("actor_principal").asText()).isEqualTo(token.get("principal").asText());
        assertThat(event.get("actor_token_id").asText()).isEqualTo(id);
        assertThat(event.get("target").asText()).isEqualTo(id);
        assertThat(event.get("decision").asText()).isEqualTo("allow");
        assertThat(event.get("code").asText()).isEqualTo("OK");
        assertThat(event.get("time").asText()).isEqualTo(alert.get("time").asText());
        assertThat(event.get("detail").asText())
                .isEqualTo("alert_id=" + alert.get("id").asText() + " ip=" + ip + ": " + alert.get("detail").asText());
    }

    // ---- new networks --------------------------------------------------------------------------------------

    @Test
    void newNetworkWhenTokenUsedFromAnotherSlash24ThenAlertButNotOnFirstUseNorWithinAKnownNetwork() {
        JsonNode token = mint("alr-network");
        String secret = token.get("token").asText();
        String id = token.get("id").asText();
        String home = nextNetwork();
        String away = nextNetwork();

        verifyTimes(server, 2, secret, "alerts.test:read", home + "7");
        verifyTimes(server, 1, secret, "alerts.test:read", home + "200");
        assertThat(alertsOfToken(server, id)).isEmpty();

        verifyTimes(server, 1, secret, "alerts.test:read", away + "9");

        List<JsonNode> raised = alertsOfToken(server, id);
        assertThat(raised).hasSize(1);
        JsonNode alert = raised.get(0);
        assertThat(alert.get("rule").asText()).isEqualTo("new_network");
        assertThat(alert.get("ip").asText()).isEqualTo(away + "9");
        assertThat(alert.get("detail").asText()).isEqualTo(id + " was used from " + away + "0/24 (" + away
                + "9), a network it was not seen from before");

        verifyTimes(server, 1, secret, "alerts.test:read", away + "10");
        verifyTimes(server, 1, secret, "alerts.test:read", home + "8");
        assertThat(alertsOfToken(server, id)).hasSize(1);
    }

    @Test
    void newNetworkWhenIpv6ThenTheNetworkIsTheSlash48() {
        JsonNode token = mint("alr-network6");
        String secret = token.get("token").asText();
        String id = token.get("id").asText();

        verifyTimes(server, 1, secret, null, "2001:db8:1:2::1");
        verifyTimes(server, 1, secret, null, "2001:db8:1:ffff::abcd");
        assertThat(alertsOfToken(server, id)).isEmpty();

        verifyTimes(server, 1, secret, null, "2001:db8:2::1");

        assertThat(alertsOfToken(server, id)).singleElement()
                .satisfies(a -> assertThat(a.get("detail").asText()).contains(" 2001:db8:2::/48 "));
    }

    @Test
    void newNetworkWhenFirstUsesComeFromTwoNetworksInOneBatchThenOnlyTheLaterIsNew() {
        JsonNode token = mint("alr-network-batch");
        String secret = token.get("token").asText();
        String first = nextNetwork() + "1";
        String second = nextNetwork() + "1";

        verifyFrom(server, secret, null, first);
        server.clock().advance(Duration.ofMillis(1));
        verifyFrom(server, secret, null, second);
        server.flushAudit();

        assertThat(alertsOfToken(server, token.get("id").asText())).singleElement()
                .satisfies(a -> assertThat(a.get("ip").asText()).isEqualTo(second));
    }

    @Test
    void newNetworkWhenTheServerRestartsThenKnownNetworksStayKnown() {
        JsonNode token = mint("alr-network-restart");
        String secret = token.get("token").asText();
        String id = token.get("id").asText();
        String home = nextNetwork();
        String away = nextNetwork();
        verifyTimes(server, 1, secret, null, home + "1");
        verifyTimes(server, 1, secret, null, away + "1");
        assertThat(alertsOfToken(server, id)).hasSize(1);

        server.restart();
        server.clock().advance(Duration.ofHours(2));
        verifyTimes(server, 1, secret, null, home + "2");
        verifyTimes(server, 1, secret, null, away + "2");

        assertThat(alertsOfToken(server, id)).hasSize(1);
    }

    @Test
    void newNetworkWhenTheTokenIsRefusedFromThereThenItIsNotAUse() {
        JsonNode token = mint("alr-network-refused");
        String secret = token.get("token").asText();
        String id = token.get("id").asText();
        verifyTimes(server, 1, secret, null, nextNetwork() + "1");
        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(), Map.of()), 200);

        verifyTimes(server, 1, secret, null, nextNetwork() + "1");

        assertThat(alertsOfToken(server, id)).extracting(a -> a.get("rule").asText())
                .containsExactly("dead_token_use");
    }

    // ---- usage spikes --------------------------------------------------------------------------------------

    /** Moves the clock to one minute past the next hour, so that a test's hours are whole clock hours. */
    private static void toNextHour() {
        Instant now = server.clock().instant();
        server.clock().set(now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).plusSeconds(60));
    }

    @Test
    void usageSpikeWhenAQuietTokenIsVerifiedAHundredTimesInAnHourThenAlert() {
        JsonNode token = mint("alr-spike");
        String secret = token.get("token").asText();
        String id = token.get("id").asText();
        String ip = nextIp();
        toNextHour();
        verifyTimes(server, 1, secret, null, ip);
        server.clock().advance(Duration.ofHours(6));
        verifyTimes(server, 99, secret, null, ip);
        assertThat(alertsOfToken(server, id)).isEmpty();

        verifyTimes(server, 1, secret, null, ip);

        List<JsonNode> raised = alertsOfToken(server, id);
        assertThat(raised).hasSize(1);
        JsonNode alert = raised.get(0);
        assertThat(alert.get("rule").asText()).isEqualTo("usage_spike");
        assertThat(alert.get("detail").asText()).isEqualTo(id + " was verified 100 times this hour, over 10 times "
                + "its mean of 0.2 an hour over the previous 6 hours");
        verifyTimes(server, 50, secret, null, ip);
        assertThat(alertsOfToken(server, id)).hasSize(1);
    }

    @Test
    void usageSpikeWhenLessThanSixHoursOfHistoryThenNoAlert() {
        JsonNode token = mint("alr-spike-young");
        String secret = token.get("token").asText();
        String ip = nextIp();
        toNextHour();
        verifyTimes(server, 1, secret, null, ip);
        server.clock().advance(Duration.ofHours(5));

        verifyTimes(server, 150, secret, null, ip);

        assertThat(alertsOfToken(server, token.get("id").asText())).isEmpty();
    }

    @Test
    void usageSpikeWhenTheCountStaysWithinTenTimesTheBaselineThenNoAlert() {
        JsonNode token = mint("alr-spike-busy");
        String secret = token.get("token").asText();
        String ip = nextIp();
        toNextHour();
        for (int hour = 0; hour < 6; hour++) {
            verifyTimes(server, 20, secret, null, ip);
            server.clock().advance(Duration.ofHours(1));
        }

        // 200 is exactly 10 times the mean of 20: not above it.
        verifyTimes(server, 200, secret, null, ip);
        assertThat(alertsOfToken(server, token.get("id").asText())).isEmpty();

        verifyTimes(server, 1, secret, null, ip);
        assertThat(alertsOfToken(server, token.get("id").asText())).extracting(a -> a.get("rule").asText())
                .containsExactly("usage_spike");
    }
}
