package dev.keygate.server.client;

import dev.keygate.client.Alert;
import dev.keygate.client.AlertDelivery;
import dev.keygate.client.AlertPage;
import dev.keygate.client.AlertQuery;
import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.FieldError;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.VerifyRequest;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java client's {@code alerts} call against a real server: the fields, the filters, paging, errors. */
class KeygateClientAlertsTest extends ClientEndToEndTest {

    /** Revokes a new token and presents it from {@code ip}: one {@code dead_token_use} alert. Returns the token. */
    private CreatedToken deadTokenAlert(KeygateClient client, TestServer on, String base, String ip) {
        CreatedToken t = tokenOn(client, base);
        client.revokeToken(t.id(), null);
        client.verify(VerifyRequest.builder().token(t.secret()).ip(ip).build());
        on.flushAudit();
        return t;
    }

    private CreatedToken tokenOn(KeygateClient client, String base) {
        String name = unique(base);
        client.createPrincipal(name, "service", null, null);
        client.createRole(name + "-role", null, List.of("alerts.client:read"));
        return client.createToken(CreateTokenRequest.builder().principal(name)
                .role(name + "-role").build());
    }

    @Test
    void alertsWhenADeadTokenWasPresentedThenTheAlertIsReadWithEveryField() {
        Instant at = now();
        CreatedToken t = deadTokenAlert(admin, server, "cli-alert", "203.0.113.9");

        AlertPage page = admin.alerts(AlertQuery.builder().tokenId(t.id()).build());

        assertThat(page.hasNext()).isFalse();
        assertThat(page.items()).singleElement().satisfies(a -> {
            assertThat(a.id()).isPositive();
            assertThat(a.time()).isEqualTo(at);
            assertThat(a.rule()).isEqualTo("dead_token_use");
            assertThat(a.tokenId()).isEqualTo(t.id());
            assertThat(a.principal()).isEqualTo(t.token().principal());
            assertThat(a.ip()).isEqualTo("203.0.113.9");
            assertThat(a.detail()).startsWith(t.id() + " was presented after it was revoked");
            assertThat(a.deliveries()).isEmpty();
        });
    }

    @Test
    void alertsWhenMoreThanAPageThenTheCursorReadsTheRestAndTheRuleAndSinceFilter() {
        Instant start = server.clock().instant().plus(Duration.ofHours(3));
        server.clock().set(start);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(deadTokenAlert(admin, server, "cli-alert-page", "203.0.113.10").id());
        }
        AlertQuery.Builder query = AlertQuery.builder().rule("dead_token_use").since(start).limit(2);

        AlertPage first = admin.alerts(query.build());
        AlertPage second = admin.alerts(query.cursor(first.nextCursor()).build());

        assertThat(first.items()).extracting(Alert::tokenId).containsExactly(ids.get(2), ids.get(1));
        assertThat(first.hasNext()).isTrue();
        assertThat(second.items()).extracting(Alert::tokenId).containsExactly(ids.get(0));
        assertThat(second.hasNext()).isFalse();
        assertThat(admin.alerts(AlertQuery.builder().rule("usage_spike").since(start).build()).items()).isEmpty();
    }

    @Test
    void alertsWhenTheRuleIsUnknownThen400NamingTheRule() {
        assertThatThrownBy(() -> admin.alerts(AlertQuery.builder().rule("bogus").build()))
                .isInstanceOfSatisfying(KeygateApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("rule");
                });
    }

    @Test
    void alertsWhenAWebhookIsConfiguredThenEachDeliveryIsRead() {
        try (WebhookReceiver receiver = WebhookReceiver.start();
             TestServer s = TestServer.start(store, b -> b.alerts(a -> a.webhook("ops=" + receiver.url())
                     .environment(name -> "0123456789abcdef-client").pollInterval(Duration.ofMillis(20))));
             KeygateClient client = KeygateClient.builder().baseUri(s.baseUri()).token(s.adminToken()).build()) {
            Instant at = s.clock().instant();
            CreatedToken t = deadTokenAlert(client, s, "cli-alert-hook", "203.0.113.11");

            AlertDelivery d = awaitDelivered(client, t.id());

            assertThat(d).isEqualTo(new AlertDelivery("ops", "delivered", 1, null, at, 204, null, at));
            assertThat(d.delivered()).isTrue();
        }
    }

    private static AlertDelivery awaitDelivered(KeygateClient client, String tokenId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<AlertDelivery> deliveries = client.alerts(AlertQuery.builder().tokenId(tokenId).build()).items()
                    .getFirst().deliveries();
            if (deliveries.size() == 1 && deliveries.getFirst().delivered()) {
                return deliveries.getFirst();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not delivered within 10 s: " + deliveries);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
