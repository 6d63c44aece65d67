package dev.keygate.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static dev.keygate.server.alert.AlertTesting.alertsOfToken;
import static dev.keygate.server.alert.AlertTesting.await;
import static dev.keygate.server.alert.AlertTesting.verifyTimes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery of alerts to real HTTP receivers on loopback: the signature, retries with exponential backoff (the
 * server's clock moved by the test), giving up, surviving a restart, several nodes sharing the work, and what is
 * never logged. Each test starts a server of its own, configured with its receivers.
 */
class AlertWebhookTest extends EndToEndTest {

    private static final String SECRET = "whsec-0123456789abcdef-test";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A server on this test's store kind delivering to {@code webhooks} ({@code name=url}), every secret SECRET. */
    private TestServer start(Consumer<AlertConfig.Builder> alerts, String... webhooks) {
        return TestServer.start(store, b -> b.alerts(a -> {
            a.webhooks(List.of(webhooks)).environment(name -> name.startsWith(AlertConfig.SECRET_ENV_PREFIX)
                    ? SECRET : null).pollInterval(Duration.ofMillis(20));
            alerts.accept(a);
        }));
    }

    /** Raises one {@code dead_token_use} alert on {@code s}: mints a token, revokes it and presents it. */
    private static String raiseAlert(TestServer s) {
        JsonNode token = s.principalWithToken(TestServer.unique("hook"), "alerts.hook:read");
        String id = token.get("id").asText();
        TestServer.expect(s.post("/v1/tokens/" + id + "/revoke", s.adminToken(), Map.of()), 200);
        verifyTimes(s, 1, token.get("token").asText(), null, "192.0.2.10");
        return id;
    }

    /** The one alert about {@code tokenId}. */
    private static JsonNode alertOf(TestServer s, String tokenId) {
        List<JsonNode> alerts = alertsOfToken(s, tokenId);
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }

    /** Polls the alert about {@code tokenId} until its first delivery satisfies {@code done}; returns that delivery. */
    private static JsonNode awaitDelivery(TestServer s, String tokenId, Predicate<JsonNode> done, String what) {
        return await(() -> alertOf(s, tokenId).get("deliveries").get(0), done, what);
    }

    private static Instant instant(JsonNode node, String field) {
        return Instant.parse(node.get(field).asText());
    }

    @Test
    void deliveryWhenReceiverAnswers2xxThenBodyIsTheAlertSignedWithTheSecretOverTimeDotBody() throws IOException {
        try (WebhookReceiver receiver = WebhookReceiver.start();
             TestServer s = start(a -> { }, "ops=" + receiver.url() + "?tenant=kg")) {
            Instant at = s.clock().instant();
            String id = raiseAlert(s);

            JsonNode delivery = awaitDelivery(s, id, d -> d.get("state").asText().equals("delivered"), "delivered");

            assertThat(receiver.received()).hasSize(1);
            WebhookReceiver.Received r = receiver.received().get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri().toString()).isEqualTo("/hooks/keygate?tenant=kg");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.signedWith(SECRET)).isTrue();
            assertThat(r.signedWith(SECRET + "x")).isFalse();
            assertThat(r.signedAt()).isEqualTo(at.getEpochSecond());
            JsonNode alert = alertOf(s, id);
            ObjectNode expected = alert.deepCopy();
            expected.remove("deliveries");
            assertThat(MAPPER.readTree(r.body())).isEqualTo(expected);
            assertThat(delivery.get("webhook").asText()).isEqualTo("ops");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.get("last_status").asInt()).isEqualTo(204);
            assertThat(delivery.has("last_error")).isFalse();
            assertThat(delivery.has("next_attempt_at")).isFalse();
            assertThat(instant(delivery, "delivered_at")).isEqualTo(at);
            assertThat(instant(delivery, "last_attempt_at")).isEqualTo(at);
            // Counted just after the state is committed: the state can be seen a moment before the count.
            assertThat(await(() -> s.server().alertDeliverer().sent(), n -> n >= 1, "the delivery counted"))
                    .isEqualTo(1);
            assertThat(s.server().alertDeliverer().failed()).isZero();
            TestServer.Response scraped = s.get("/metrics", s.adminToken());
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.text()).contains("keygate_alerts_deliveries_delivered_total 1.0")
                    .contains("keygate_alerts_deliveries_failed_total 0.0");
        }
    }

    @Test
    void deliveryWhenTwoWebhooksThenEachGetsTheAlertWithItsOwnState() {
        try (WebhookReceiver ops = WebhookReceiver.start().answerByDefault(200);
             WebhookReceiver pager = WebhookReceiver.start().answerByDefault(500);
             TestServer s = start(a -> a.maxAttempts("1"), "ops=" + ops.url(), "pager=" + pager.url())) {
            String id = raiseAlert(s);

            await(() -> alertOf(s, id).get("deliveries"),
                    d -> d.size() == 2 && d.get(0).get("state").asText().equals("delivered")
                            && d.get(1).get("state").asText().equals("failed"), "one delivered, one failed");

            JsonNode deliveries = alertOf(s, id).get("deliveries");
            assertThat(deliveries).extracting(d -> d.get("webhook").asText()).containsExactly("ops", "pager");
            assertThat(deliveries.get(1).get("last_status").asInt()).isEqualTo(500);
            assertThat(deliveries.get(1).get("last_error").asText()).isEqualTo("HTTP 500");
            assertThat(ops.received()).hasSize(1);
            assertThat(pager.received()).hasSize(1);
        }
    }

    @Test
    void deliveryWhenReceiverFailsTwiceThenRetriedWithExponentialBackoffAndDelivered() {
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(503, 500);
             TestServer s = start(a -> a.retryBase("1s").maxAttempts("5"), "ops=" + receiver.url())) {
            Instant t0 = s.clock().instant();
            String id = raiseAlert(s);

            JsonNode first = awaitDelivery(s, id, d -> d.get("attempts").asInt() == 1 && d.has("last_status")
                    && instant(d, "next_attempt_at").equals(t0.plusSeconds(1)), "attempt 1 failed");
            assertThat(first.get("state").asText()).isEqualTo("pending");
            assertThat(first.get("last_status").asInt()).isEqualTo(503);
            assertThat(first.get("last_error").asText()).isEqualTo("HTTP 503");
            assertThat(instant(first, "last_attempt_at")).isEqualTo(t0);

            s.clock().advance(Duration.ofSeconds(1));
            JsonNode second = awaitDelivery(s, id, d -> d.get("attempts").asInt() == 2 && d.has("next_attempt_at")
                    && instant(d, "next_attempt_at").equals(t0.plusSeconds(3)), "attempt 2 failed, next in 2s");
            assertThat(second.get("last_status").asInt()).isEqualTo(500);

            s.clock().advance(Duration.ofSeconds(2));
            JsonNode done = awaitDelivery(s, id, d -> d.get("state").asText().equals("delivered"), "delivered");

            assertThat(done.get("attempts").asInt()).isEqualTo(3);
            assertThat(done.get("last_status").asInt()).isEqualTo(204);
            assertThat(done.has("last_error")).isFalse();
            assertThat(instant(done, "delivered_at")).isEqualTo(t0.plusSeconds(3));
            List<WebhookReceiver.Received> received = receiver.received();
            assertThat(received).hasSize(3).allSatisfy(r -> assertThat(r.signedWith(SECRET)).isTrue());
            assertThat(received).extracting(WebhookReceiver.Received::text).containsOnly(received.get(0).text());
            assertThat(received).extracting(WebhookReceiver.Received::signedAt).containsExactly(t0.getEpochSecond(),
                    t0.plusSeconds(1).getEpochSecond(), t0.plusSeconds(3).getEpochSecond());
        }
    }

    @Test
    void deliveryWhenReceiverAlwaysFailsThenFailedAfterMaxAttemptsAndNoMore() {
        try (WebhookReceiver receiver = WebhookReceiver.start().answerByDefault(500);
             TestServer s = start(a -> a.retryBase("2s").maxAttempts("3"), "ops=" + receiver.url())) {
            String id = raiseAlert(s);
            for (int attempt = 1; attempt <= 2; attempt++) {
                long wait = 2L << (attempt - 1);
                int n = attempt;
                awaitDelivery(s, id, d -> d.get("attempts").asInt() == n && d.has("last_status")
                        && instant(d, "next_attempt_at").equals(instant(d, "last_attempt_at").plusSeconds(wait)),
                        "attempt " + n + " failed, the next " + wait + "s later");
                s.clock().advance(Duration.ofSeconds(wait));
            }

            JsonNode failed = awaitDelivery(s, id, d -> d.get("state").asText().equals("failed"), "failed");

            assertThat(failed.get("attempts").asInt()).isEqualTo(3);
            assertThat(failed.get("last_status").asInt()).isEqualTo(500);
            assertThat(failed.get("last_error").asText()).isEqualTo("HTTP 500");
            assertThat(failed.has("next_attempt_at")).isFalse();
            assertThat(failed.has("delivered_at")).isFalse();
            assertThat(receiver.received()).hasSize(3);
            // Counted just after the state is committed: the state can be seen a moment before the count.
            assertThat(await(() -> s.server().alertDeliverer().failed(), n -> n >= 1, "the failure counted"))
                    .isEqualTo(1);
            assertThat(s.server().alertDeliverer().sent()).isZero();
        }
    }

    @Test
    void deliveryWhenNothingListensOrTheAnswerIsLateOrARedirectThenTheErrorSaysSo() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (WebhookReceiver slow = WebhookReceiver.start().delay(Duration.ofSeconds(3));
             WebhookReceiver moved = WebhookReceiver.start().answerByDefault(302);
             TestServer s = start(a -> a.maxAttempts("1").webhookTimeout("1s"),
                     "down=http://127.0.0.1:" + closedPort + "/hook", "moved=" + moved.url(), "slow=" + slow.url())) {
            String id = raiseAlert(s);

            JsonNode deliveries = await(() -> alertOf(s, id).get("deliveries"),
                    d -> d.valueStream().allMatch(x -> x.get("state").asText().equals("failed")), "all failed");

            assertThat(deliveries).extracting(d -> d.get("webhook").asText() + ": " + d.get("last_error").asText())
                    .containsExactly("down: connection refused", "moved: HTTP 302 (redirects are not followed)",
                            "slow: timed out waiting for the answer");
            assertThat(deliveries.get(0).has("last_status")).isFalse();
            assertThat(deliveries.get(1).get("last_status").asInt()).isEqualTo(302);
        }
    }

    @Test
    void deliveryWhenTheServerRestartsBetweenAttemptsThenTheRestartedServerDeliversIt() {
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(503);
             TestServer s = start(a -> a.retryBase("1m"), "ops=" + receiver.url())) {
            String id = raiseAlert(s);
            awaitDelivery(s, id, d -> d.has("last_status"), "attempt 1 failed");

            s.restart();
            s.clock().advance(Duration.ofMinutes(1));

            JsonNode done = awaitDelivery(s, id, d -> d.get("state").asText().equals("delivered"), "delivered");
            assertThat(done.get("attempts").asInt()).isEqualTo(2);
            assertThat(receiver.received()).hasSize(2);
        }
    }

    @Test
    void deliveryWhenTwoNodesShareTheStoreThenEachAlertIsSentOnce() {
        try (WebhookReceiver receiver = WebhookReceiver.start();
             TestServer a = start(x -> { }, "ops=" + receiver.url());
             KeygateServer b = KeygateServer.start(a.storeConfig())) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(raiseAlert(a));
            }

            for (String id : ids) {
                JsonNode done = awaitDelivery(a, id, d -> d.get("state").asText().equals("delivered"), "delivered");
                // Every claim counts an attempt, and only a claimed delivery is sent: one attempt, one request.
                assertThat(done.get("attempts").asInt()).isEqualTo(1);
            }
            assertThat(receiver.received()).hasSize(ids.size());
            assertThat(await(() -> a.server().alertDeliverer().sent() + b.alertDeliverer().sent(),
                    n -> n >= ids.size(), "every delivery counted")).isEqualTo(ids.size());
        }
    }

    @Test
    void deliveryWhenLoggedThenNeitherTheSecretNorTheUrlsQueryAppears() {
        try (LogCapture logs = LogCapture.attach();
             WebhookReceiver receiver = WebhookReceiver.start().answer(500);
             TestServer s = start(a -> a.retryBase("1s"), "ops=" + receiver.url() + "?key=query-credential")) {
            String id = raiseAlert(s);
            awaitDelivery(s, id, d -> d.has("last_status"), "attempt 1 failed");
            s.clock().advance(Duration.ofSeconds(1));
            awaitDelivery(s, id, d -> d.get("state").asText().equals("delivered"), "delivered");

            assertThat(logs.text()).contains("alert webhook 'ops': http://127.0.0.1:" + receiver.url().getPort()
                            + "/hooks/keygate?…")
                    .contains("attempt 1 of 8 failed (HTTP 500); retrying in 1s")
                    .doesNotContain(SECRET).doesNotContain("query-credential");
        }
    }
}
