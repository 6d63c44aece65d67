package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/audit}'s filters and fields beyond the first ones: {@code decision}, {@code until}, the
 * {@code oldest} order with its cursors, and each event's place in its hash chain and {@code request_ip}.
 */
class AuditQueryApiTest extends EndToEndTest {

    @Test
    void queryWhenFilteredByDecisionThenOnlyEventsWithThatDecision() {
        JsonNode minted = server.principalWithToken(TestServer.unique("aq-decision"), "aq.items:read");
        String token = minted.get("token").asText();
        server.verify(token, "aq.items:read");
        server.verify(token, "aq.items:write");
        server.verify(token, "aq.items:delete");
        server.flushAudit();
        String filter = "token_id=" + minted.get("id").asText() + "&action=verify";

        List<JsonNode> denied = items(query(filter + "&decision=deny"));
        List<JsonNode> allowed = items(query(filter + "&decision=allow"));

        assertThat(denied).extracting(e -> e.get("permission").asText())
                .containsExactly("aq.items:delete", "aq.items:write");
        assertThat(denied).allSatisfy(e -> assertThat(e.get("decision").asText()).isEqualTo("deny"));
        assertThat(allowed).extracting(e -> e.get("permission").asText()).containsExactly("aq.items:read");
    }

    @Test
    void queryWhenUntilGivenThenOnlyEventsBeforeItAndSinceUntilRangesTile() {
        String principal = TestServer.unique("aq-until");
        String token = server.principalWithToken(principal, "keygate.roles:write").get("token").asText();
        Instant t0 = server.clock().instant();
        createRoleAs(token, TestServer.unique("aq-until-a"));
        server.clock().advance(Duration.ofHours(1));
        Instant t1 = server.clock().instant();
        createRoleAs(token, TestServer.unique("aq-until-b"));
        server.clock().advance(Duration.ofHours(1));
        Instant t2 = server.clock().instant();
        createRoleAs(token, TestServer.unique("aq-until-c"));
        String byPrincipal = "principal=" + principal + "&action=role.create";

        List<JsonNode> beforeT1 = items(query(byPrincipal + "&until=" + encode(t1)));
        List<JsonNode> t1ToT2 = items(query(byPrincipal + "&since=" + encode(t1) + "&until=" + encode(t2)));
        List<JsonNode> fromT2 = items(query(byPrincipal + "&since=" + encode(t2)));
        List<JsonNode> all = items(query(byPrincipal + "&since=" + encode(t0)));

        assertThat(beforeT1).hasSize(1);
        assertThat(t1ToT2).hasSize(1);
        assertThat(fromT2).hasSize(1);
        List<JsonNode> tiled = new ArrayList<>(fromT2);
        tiled.addAll(t1ToT2);
        tiled.addAll(beforeT1);
        assertThat(tiled).isEqualTo(all);
        assertThat(Instant.parse(beforeT1.get(0).get("time").asText())).isBefore(t1);
        assertThat(Instant.parse(t1ToT2.get(0).get("time").asText())).isEqualTo(t1);
    }

    @Test
    void queryWhenOrderOldestThenCursorsWalkEveryEventOnceInIdOrder() {
        String principal = TestServer.unique("aq-oldest");
        String token = server.principalWithToken(principal, "keygate.roles:write").get("token").asText();
        for (int i = 0; i < 5; i++) {
            createRoleAs(token, TestServer.unique("aq-oldest-r"));
        }
        List<Long> newest = ids(items(query("principal=" + principal + "&limit=1000")));

        List<JsonNode> pages = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = query("principal=" + principal + "&order=oldest&limit=2"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            pages.add(page);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);

        assertThat(pages).extracting(p -> p.get("items").size()).containsExactly(2, 2, 1);
        List<Long> walked = new ArrayList<>();
        pages.forEach(p -> walked.addAll(ids(items(p))));
        assertThat(walked).isSorted().doesNotHaveDuplicates()
                .containsExactlyElementsOf(newest.reversed());
    }

    @Test
    void queryWhenCursorOfTheOtherOrderThenReturns400NamingCursor() {
        String principal = TestServer.unique("aq-mixed");
        String token = server.principalWithToken(principal, "keygate.roles:write").get("token").asText();
        createRoleAs(token, TestServer.unique("aq-mixed-r"));
        createRoleAs(token, TestServer.unique("aq-mixed-r"));
        String newestCursor = query("principal=" + principal + "&limit=1").get("next_cursor").asText();

        TestServer.Response r = server.get("/v1/audit?principal=" + principal + "&order=oldest&cursor="
                + newestCursor, server.adminToken());

        assertValidationFailure(r, "cursor");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains("other order");
    }

    @ParameterizedTest
    @CsvSource({
        "decision=maybe, decision",
        "decision=ALLOW, decision",
        "order=asc, order",
        "until=tomorrow, until",
        "until=2030-01-01T00:00:00Z&since=2030-01-01T00:00:00Z, until",
        "until=2029-01-01T00:00:00Z&since=2030-01-01T00:00:00Z, until"})
    void queryWhenFilterInvalidThenReturns400NamingIt(String params, String field) {
        assertValidationFailure(server.get("/v1/audit?" + params, server.adminToken()), field);
    }

    @Test
    void queryWhenEventsReadThenEachCarriesItsChainSeqHashAndTheRequestIp() {
        JsonNode minted = server.principalWithToken(TestServer.unique("aq-fields"), "aq.items:read");
        TestServer.expect(server.post("/v1/verify", null, Map.of("token", minted.get("token").asText(),
                "permission", "aq.items:read", "context", Map.of("ip", "203.0.113.9"))), 200);
        server.flushAudit();

        JsonNode verify = items(query("token_id=" + minted.get("id").asText() + "&action=verify")).getFirst();
        JsonNode create = items(query("token_id=" + minted.get("id").asText() + "&action=token.create")).getFirst();

        assertThat(verify.get("request_ip").asText()).isEqualTo("203.0.113.9");
        assertThat(verify.get("chain").asText()).isEqualTo("verify");
        assertThat(create.get("chain").asText()).isEqualTo("admin");
        assertThat(create.has("request_ip")).isFalse();
        for (JsonNode e : List.of(verify, create)) {
            assertThat(e.get("seq").asLong()).isPositive();
            assertThat(e.get("hash").asText()).matches("[0-9a-f]{64}");
        }
        assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE id = " + create.get("id").asLong()
                + " AND chain = 'admin' AND seq = " + create.get("seq").asLong() + " AND hash = '"
                + create.get("hash").asText() + "'")).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "2001:DB8:0:0:0:0:0:0001, 2001:db8::1",
        "::FFFF:10.0.0.1, 10.0.0.1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1"})
    void verifyWhenContextIpWrittenLooselyThenTheEventHoldsItCanonical(String given, String canonical) {
        JsonNode minted = server.principalWithToken(TestServer.unique("aq-canonical"), "aq.items:read");
        TestServer.Response r = server.post("/v1/verify", null, Map.of("token", minted.get("token").asText(),
                "permission", "aq.items:read", "context", Map.of("ip", given)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        server.flushAudit();

        JsonNode verify = items(query("token_id=" + minted.get("id").asText() + "&action=verify")).getFirst();

        assertThat(verify.get("request_ip").asText()).isEqualTo(canonical);
    }

    private static JsonNode query(String params) {
        return TestServer.expect(server.get("/v1/audit?" + params, server.adminToken()), 200);
    }

    private static void createRoleAs(String token, String name) {
        TestServer.expect(server.post("/v1/roles", token, Map.of("name", name, "permissions", List.of("a:read"))),
                201);
    }

    private static void assertValidationFailure(TestServer.Response r, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly(field);
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.get("items").forEach(out::add);
        return out;
    }

    private static List<Long> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("id").asLong()).toList();
    }

    private static String encode(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }
}
