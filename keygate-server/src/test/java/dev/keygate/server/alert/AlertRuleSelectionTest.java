package dev.keygate.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.keygate.server.alert.AlertTesting.alerts;
import static dev.keygate.server.alert.AlertTesting.alertsOfIp;
import static dev.keygate.server.alert.AlertTesting.alertsOfToken;
import static dev.keygate.server.alert.AlertTesting.verifyTimes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --alert-rules}: a rule that is off raises nothing (and, for {@code new_network}, records no network), while
 * the rules left on raise their alerts from the same traffic; {@code none} turns every rule off but
 * {@code token_leaked}. Each test starts a server of its own with the rules it needs, and low spike thresholds (at
 * least 2 verifications in an hour, over twice the mean, after an hour of history) so that a spike is cheap.
 */
class AlertRuleSelectionTest extends EndToEndTest {

    private TestServer start(String rules) {
        return TestServer.start(store, b -> b.alerts(a -> a.rules(rules).spikeMinCount("2").spikeMinHistory("1h")
                .spikeFactor("2")));
    }

    /** A live token of a new principal: its creation response. */
    private static JsonNode token(TestServer s, String base) {
        return s.principalWithToken(TestServer.unique(base), "alerts.select:read");
    }

    /** A token of a new principal, revoked: its creation response. */
    private static JsonNode revoked(TestServer s, String base) {
        JsonNode token = token(s, base);
        TestServer.expect(s.post("/v1/tokens/" + token.get("id").asText() + "/revoke", s.adminToken(), Map.of()),
                200);
        return token;
    }

    /**
     * Uses a live token once in an hour, then three times the next hour from another network: a new network, and a
     * spike (3 is above twice the mean of 1).
     */
    private static void travelAndSpike(TestServer s, String secret) {
        Instant now = s.clock().instant();
        s.clock().set(now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).plusSeconds(60));
        verifyTimes(s, 1, secret, null, "198.51.100.1");
        s.clock().advance(Duration.ofHours(1));
        verifyTimes(s, 3, secret, null, "203.0.113.1");
    }

    private static List<String> rules(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.get("rule").asText()).sorted().toList();
    }

    @Test
    void rulesWhenDeadTokenUseAndNewNetworkAreOffThenTheyRaiseNothingAndTheOthersStillAlert() {
        try (LogCapture logs = LogCapture.attach();
             TestServer s = start("failed_verifications_ip,failed_verifications_token,usage_spike")) {
            assertThat(logs.text()).contains("alert rules off (--alert-rules): new_network, dead_token_use");
            JsonNode dead = revoked(s, "alr-sel-dead");
            String deadId = dead.get("id").asText();
            JsonNode live = token(s, "alr-sel-live");
            String liveId = live.get("id").asText();

            verifyTimes(s, 20, dead.get("token").asText(), null, "192.0.2.10");
            travelAndSpike(s, live.get("token").asText());

            assertThat(rules(alertsOfToken(s, deadId))).containsExactly("failed_verifications_token");
            assertThat(alertsOfIp(s, Alert.FAILED_VERIFICATIONS_IP, "192.0.2.10")).hasSize(1);
            assertThat(rules(alertsOfToken(s, liveId))).containsExactly("usage_spike");
            assertThat(s.count("SELECT COUNT(*) FROM alert_token_networks WHERE token_id = '" + liveId + "'"))
                    .as("no network recorded while new_network is off").isZero();
        }
    }

    @Test
    void rulesWhenFailuresAndSpikesAreOffThenTheyRaiseNothingAndTheOthersStillAlert() {
        try (TestServer s = start("dead_token_use, new_network")) {
            JsonNode dead = revoked(s, "alr-sel-dead");
            String deadId = dead.get("id").asText();
            JsonNode live = token(s, "alr-sel-live");
            String liveId = live.get("id").asText();

            verifyTimes(s, 20, dead.get("token").asText(), null, "192.0.2.11");
            verifyTimes(s, 20, "kg_live_notarealtoken", null, "192.0.2.12");
            travelAndSpike(s, live.get("token").asText());

            assertThat(rules(alertsOfToken(s, deadId))).containsExactly("dead_token_use");
            assertThat(alerts(s, "rule=failed_verifications_ip")).isEmpty();
            assertThat(alerts(s, "rule=failed_verifications_token")).isEmpty();
            assertThat(rules(alertsOfToken(s, liveId))).containsExactly("new_network");
            assertThat(alerts(s, "rule=usage_spike")).isEmpty();
        }
    }

    @Test
    void rulesWhenNoneThenNoRuleAlertsButALeakReportStillRaisesTokenLeaked() {
        try (TestServer s = start("none")) {
            JsonNode dead = revoked(s, "alr-sel-none");
            JsonNode live = token(s, "alr-sel-none-live");

            verifyTimes(s, 20, dead.get("token").asText(), null, "192.0.2.13");
            travelAndSpike(s, live.get("token").asText());
            assertThat(alerts(s, "limit=1000")).isEmpty();

            TestServer.expect(s.post("/v1/leaks", s.adminToken(), List.of(Map.of("token",
                    live.get("token").asText(), "type", "keygate_api_token"))), 202);

            assertThat(rules(alerts(s, "limit=1000"))).containsExactly("token_leaked");
        }
    }
}
