package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/alerts} end to end: the filters, newest-first order, cursor pagination, validation of the query
 * (each problem a 400 naming the field) and the permission it needs.
 */
class AlertApiTest extends EndToEndTest {

    /** Raises a {@code dead_token_use} alert: mints a token of a new principal, revokes it and presents it. */
    private static String deadTokenAlert(String base) {
        JsonNode token = server.principalWithToken(TestServer.unique(base), "alerts.api:read");
        String id = token.get("id").asText();
        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(), Map.of()), 200);
        verify(token.get("token").asText(), "192.0.2.44");
        server.flushAudit();
        return id;
    }

    private static void verify(String secret, String ip) {
        TestServer.expect(server.post("/v1/verify", null, Map.of("token", secret, "context", Map.of("ip", ip))), 200);
    }

    private static JsonNode page(String query, String token) {
        return TestServer.expect(server.get("/v1/alerts?" + query, token), 200);
    }

    private static List<JsonNode> items(String query) {
        return page(query, server.adminToken()).get("items").valueStream().toList();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void listWhenFilteredByTokenThenOnlyThatTokensAlerts() {
        String mine = deadTokenAlert("alr-api-mine");
        String other = deadTokenAlert("alr-api-other");

        List<JsonNode> alerts = items("token_id=" + mine);

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.get("token_id").asText()).isEqualTo(mine);
            assertThat(a.get("rule").asText()).isEqualTo("dead_token_use");
            assertThat(a.get("id").asLong()).isPositive();
            assertThat(a.get("deliveries")).isEmpty();
        });
        assertThat(items("token_id=" + other)).hasSize(1);
        assertThat(items("token_id=tok_nosuchtoken000000000")).isEmpty();
    }

    @Test
    void listWhenFilteredByRuleThenOnlyThatRule() {
        String ip = "192.0.2.201";
        for (int i = 0; i < 20; i++) {
            verify("kg_live_notarealtoken", ip);
        }
        server.flushAudit();
        deadTokenAlert("alr-api-rule");

        List<JsonNode> failures = items("rule=failed_verifications_ip&limit=1000");
        List<JsonNode> dead = items("rule=dead_token_use&limit=1000");

        assertThat(failures).isNotEmpty().allSatisfy(a -> assertThat(a.get("rule").asText())
                .isEqualTo("failed_verifications_ip"));
        assertThat(failures).anySatisfy(a -> assertThat(a.get("ip").asText()).isEqualTo(ip));
        assertThat(dead).isNotEmpty().allSatisfy(a -> assertThat(a.get("rule").asText()).isEqualTo("dead_token_use"));
        assertThat(items("rule=usage_spike&limit=1000")).isEmpty();
    }

    @Test
    void listWhenFilteredBySinceThenOnlyAlertsAtOrAfterIt() {
        String early = deadTokenAlert("alr-api-early");
        server.clock().advance(Duration.ofMinutes(10));
        Instant cut = server.clock().instant();
        String late = deadTokenAlert("alr-api-late");

        List<String> since = items("limit=1000&since=" + encode(cut.toString())).stream()
                .map(a -> a.get("token_id").asText("")).toList();
        List<String> after = items("limit=1000&since=" + encode(cut.plusMillis(1).toString())).stream()
                .map(a -> a.get("token_id").asText("")).toList();

        assertThat(since).contains(late).doesNotContain(early);
        assertThat(after).doesNotContain(late, early);
    }

    @Test
    void listWhenMoreThanOnePageThenNewestFirstAndTheCursorLeadsThroughAllOfThem() {
        Instant start = server.clock().instant().plus(Duration.ofHours(1));
        server.clock().set(start);
        List<String> raised = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            raised.add(deadTokenAlert("alr-api-page"));
        }
        String since = "since=" + encode(start.toString());

        List<String> seen = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = page(since + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), server.adminToken());
            page.get("items").forEach(a -> {
                seen.add(a.get("token_id").asText());
                ids.add(a.get("id").asLong());
            });
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(raised.reversed());
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void listWhenTheQueryIsInvalidThenA400NamesEachField() {
        TestServer.Response r = server.get("/v1/alerts?rule=bogus&since=yesterday&limit=0&cursor=nope&token_id="
                + "kg_live_secretlooking", server.adminToken());

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("rule", "since", "limit", "cursor", "token_id");
        assertThat(r.text()).doesNotContain("secretlooking");
        JsonNode rule = r.json().get("errors").valueStream().filter(e -> e.get("field").asText().equals("rule"))
                .findFirst().orElseThrow();
        assertThat(rule.get("message").asText()).isEqualTo("must be one of failed_verifications_ip, "
                + "failed_verifications_token, new_network, dead_token_use, usage_spike, token_leaked");
    }

    @Test
    void listWhenTheCursorComesFromTheAuditLogThenRefused() {
        String auditCursor = server.get("/v1/audit?limit=1", server.adminToken()).json().get("next_cursor").asText();

        TestServer.Response r = server.get("/v1/alerts?cursor=" + auditCursor, server.adminToken());

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("cursor");
    }

    @Test
    void listWhenTheCallerLacksAlertsReadThenForbiddenAndWithItAllowed() {
        String auditor = server.principalWithToken(TestServer.unique("alr-api-auditor"), "keygate.audit:read")
                .get("token").asText();
        String reader = server.principalWithToken(TestServer.unique("alr-api-reader"), "keygate.alerts:read")
                .get("token").asText();

        TestServer.Response denied = server.get("/v1/alerts", auditor);
        TestServer.Response anonymous = server.get("/v1/alerts", null);

        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("detail").asText()).contains("keygate.alerts:read");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(page("limit=1", reader).has("items")).isTrue();
    }
}
