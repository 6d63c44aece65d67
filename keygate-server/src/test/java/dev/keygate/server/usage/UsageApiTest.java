package dev.keygate.server.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage analytics end to end: verifications at clock-controlled times rolled up by hour and by day, per permission
 * and decision; the roll-up's row count; the last-use address; {@code GET /v1/tokens/{id}/usage} and its
 * validation.
 */
class UsageApiTest extends EndToEndTest {

    @Test
    void usageWhenVerifiedAcrossHourAndDayBoundariesThenCountedPerBucketPermissionAndDecision() {
        Instant day = nextDay();
        server.clock().set(day.minus(Duration.ofMinutes(30))); // 23:30 the day before
        Token t = token("use-buckets", "use.docs:*");
        verify(t, "use.docs:read");
        verify(t, "use.docs:read");
        verify(t, "use.billing:read"); // FORBIDDEN
        server.clock().set(day.plus(Duration.ofMinutes(10))); // 00:10, the next day
        verify(t, "use.docs:read");
        verify(t, null);
        server.clock().set(day.plus(Duration.ofMinutes(70))); // 01:10
        verify(t, "use.docs:read or use.docs:write");
        server.flushAudit();

        JsonNode hourly = usage(t.id(), "granularity=hour&since=" + day.minus(Duration.ofMinutes(30))
                + "&until=" + day.plus(Duration.ofHours(2)));

        assertThat(hourly.get("granularity").asText()).isEqualTo("hour");
        assertThat(hourly.get("since").asText()).isEqualTo(day.minus(Duration.ofHours(1)).toString());
        assertThat(hourly.get("totals").toString()).isEqualTo("{\"allow\":5,\"deny\":1}");
        assertThat(hourly.get("permissions").toString()).isEqualTo("["
                + "{\"permission\":null,\"allow\":1,\"deny\":0},"
                + "{\"permission\":\"use.billing:read\",\"allow\":0,\"deny\":1},"
                + "{\"permission\":\"use.docs:read\",\"allow\":3,\"deny\":0},"
                + "{\"permission\":\"use.docs:read OR use.docs:write\",\"allow\":1,\"deny\":0}]");
        assertThat(hourly.get("buckets").toString()).isEqualTo("["
                + "{\"start\":\"" + day.minus(Duration.ofHours(1)) + "\",\"allow\":2,\"deny\":1,\"permissions\":["
                + "{\"permission\":\"use.billing:read\",\"allow\":0,\"deny\":1},"
                + "{\"permission\":\"use.docs:read\",\"allow\":2,\"deny\":0}]},"
                + "{\"start\":\"" + day + "\",\"allow\":2,\"deny\":0,\"permissions\":["
                + "{\"permission\":null,\"allow\":1,\"deny\":0},"
                + "{\"permission\":\"use.docs:read\",\"allow\":1,\"deny\":0}]},"
                + "{\"start\":\"" + day.plus(Duration.ofHours(1)) + "\",\"allow\":1,\"deny\":0,\"permissions\":["
                + "{\"permission\":\"use.docs:read OR use.docs:write\",\"allow\":1,\"deny\":0}]}]");

        JsonNode daily = usage(t.id(), "granularity=day&since=" + day.minus(Duration.ofDays(1)) + "&until="
                + day.plus(Duration.ofDays(1)));

        assertThat(daily.get("totals").toString()).isEqualTo("{\"allow\":5,\"deny\":1}");
        assertThat(daily.get("buckets")).hasSize(2);
        assertThat(daily.get("buckets").get(0).get("start").asText()).isEqualTo(day.minus(Duration.ofDays(1))
                .toString());
        assertThat(daily.get("buckets").get(0).get("allow").asLong()).isEqualTo(2);
        assertThat(daily.get("buckets").get(0).get("deny").asLong()).isEqualTo(1);
        assertThat(daily.get("buckets").get(1).get("start").asText()).isEqualTo(day.toString());
        assertThat(daily.get("buckets").get(1).get("allow").asLong()).isEqualTo(3);
        assertThat(daily.get("buckets").get(1).get("permissions")).hasSize(3);
    }

    @Test
    void usageWhenRangeEndsBeforeSomeBucketsThenOnlyBucketsStartingInRangeCount() {
        Instant day = nextDay();
        server.clock().set(day.plus(Duration.ofMinutes(5)));
        Token t = token("use-range", "use.range:read");
        verify(t, "use.range:read");
        server.clock().set(day.plus(Duration.ofHours(3)));
        verify(t, "use.range:read");
        server.flushAudit();

        JsonNode firstHours = usage(t.id(), "since=" + day + "&until=" + day.plus(Duration.ofHours(3)));
        JsonNode byDefault = usage(t.id(), "");

        assertThat(firstHours.get("totals").get("allow").asLong()).isEqualTo(1);
        assertThat(firstHours.get("until").asText()).isEqualTo(day.plus(Duration.ofHours(3)).toString());
        // Default: by the hour, the 24 hours up to the end of the current one.
        assertThat(byDefault.get("granularity").asText()).isEqualTo("hour");
        assertThat(byDefault.get("totals").get("allow").asLong()).isEqualTo(2);
        // The end of the current hour: the latest uses are in.
        assertThat(byDefault.get("until").asText()).isEqualTo(day.plus(Duration.ofHours(4)).toString());
        assertThat(byDefault.get("since").asText()).isEqualTo(day.minus(Duration.ofHours(20)).toString());
    }

    @Test
    void rollupWhenManyVerificationsOverSeveralBatchesThenRowsDoNotGrowAndCountsAdd() {
        server.clock().set(nextDay().plus(Duration.ofMinutes(1)));
        Token t = token("use-rollup", "use.rollup:read");
        for (int i = 0; i < 30; i++) {
            verify(t, "use.rollup:read");
        }
        server.flushAudit();
        long rowsAfterFirst = server.count("SELECT COUNT(*) FROM token_usage WHERE token_id = '" + t.id() + "'");
        for (int i = 0; i < 30; i++) {
            verify(t, "use.rollup:read");
        }
        server.flushAudit();

        assertThat(rowsAfterFirst).isEqualTo(2); // one hour row, one day row
        assertThat(server.count("SELECT COUNT(*) FROM token_usage WHERE token_id = '" + t.id() + "'")).isEqualTo(2);
        assertThat(server.count("SELECT count FROM token_usage WHERE token_id = '" + t.id()
                + "' AND granularity = 'hour'")).isEqualTo(60);
        assertThat(server.count("SELECT count FROM token_usage WHERE token_id = '" + t.id()
                + "' AND granularity = 'day'")).isEqualTo(60);
        assertThat(server.count("SELECT " + TestServer.OCCURRENCES + " FROM audit_events WHERE action = 'verify' AND target = '"
                + t.id() + "'")).isEqualTo(60);
    }

    @Test
    void rollupWhenBatchHoldsUnknownTokensThenTheyAreNotCountedAndTheBatchIsStillWritten() {
        Token t = token("use-unknown", "use.unknown:read");
        TestServer.expect(server.post("/v1/verify", null, Map.of("token",
                "kg_live_" + "0".repeat(40))), 200); // token-shaped, unknown (and a bad checksum)
        verify(t, "use.unknown:read");
        server.flushAudit();

        assertThat(server.server().auditWriter().dropped()).isZero();
        assertThat(usage(t.id(), "").get("totals").get("allow").asLong()).isEqualTo(1);
    }

    @Test
    void lastUsedIpWhenContextIpGivenThenItElseTheCallersAddress() {
        Token t = token("use-ip", "use.ip:read");
        verifyFrom(t, "use.ip:read", "2001:DB8::7");
        server.flushAudit();
        JsonNode fromContext = usage(t.id(), "");
        server.clock().advance(Duration.ofSeconds(1));
        verify(t, "use.ip:read");
        server.flushAudit();
        JsonNode fromCaller = usage(t.id(), "");

        assertThat(fromContext.get("last_used_ip").asText()).isEqualTo("2001:db8::7");
        assertThat(fromContext.get("last_used_at").asText()).isEqualTo(
                server.clock().instant().minusSeconds(1).toString());
        assertThat(fromCaller.get("last_used_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(fromCaller.get("last_used_at").asText()).isEqualTo(server.clock().instant().toString());
    }

    @Test
    void lastUsedIpWhenSeveralUsesInOneBatchThenTheLatestWins() {
        Token t = token("use-ip-batch", "use.ipb:read");
        verifyFrom(t, "use.ipb:read", "192.0.2.1");
        server.clock().advance(Duration.ofMillis(5));
        verifyFrom(t, "use.ipb:read", "192.0.2.2");
        server.flushAudit();

        assertThat(usage(t.id(), "").get("last_used_ip").asText()).isEqualTo("192.0.2.2");
    }

    /** Another node's batch, written late, holds an older use: the newer address stays. */
    @Test
    void lastUsedIpWhenAnOlderUseIsWrittenLaterThenTheNewerAddressStays() {
        Instant now = server.clock().instant();
        Token t = token("use-ip-late", "use.ipl:read");
        verifyFrom(t, "use.ipl:read", "198.51.100.1");
        server.flushAudit();
        try {
            server.clock().set(now.minus(Duration.ofMinutes(5)));
            verifyFrom(t, "use.ipl:read", "198.51.100.2");
            server.flushAudit();
        } finally {
            server.clock().set(now);
        }

        JsonNode usage = usage(t.id(), "");
        assertThat(usage.get("last_used_ip").asText()).isEqualTo("198.51.100.1");
        assertThat(usage.get("last_used_at").asText()).isEqualTo(now.toString());
    }

    @Test
    void usageWhenNeverUsedThenNoLastUseAndEmptyCounts() {
        Token t = token("use-never", "use.never:read");

        JsonNode usage = usage(t.id(), "granularity=day");

        assertThat(usage.has("last_used_at")).isFalse();
        assertThat(usage.has("last_used_ip")).isFalse();
        assertThat(usage.get("token_id").asText()).isEqualTo(t.id());
        assertThat(usage.get("totals").toString()).isEqualTo("{\"allow\":0,\"deny\":0}");
        assertThat(usage.get("permissions")).isEmpty();
        assertThat(usage.get("buckets")).isEmpty();
    }

    // ---- validation ----------------------------------------------------------------------------------------

    @Test
    void usageWhenParametersInvalidThen400NamingEachParameter() {
        Token t = token("use-invalid", "use.invalid:read");
        Instant now = server.clock().instant();

        assertField(t, "granularity=week", "granularity", "must be hour or day");
        assertField(t, "since=yesterday", "since", "RFC 3339");
        assertField(t, "until=2030-13-01T00:00:00Z", "until", "RFC 3339");
        assertField(t, "limit=10", "limit", "not a known query parameter");
        assertField(t, "granularity=hour&granularity=day", "granularity", "at most once");
        assertField(t, "since=" + now + "&until=" + now, "since", "must be before until");
        assertField(t, "since=" + now.plus(Duration.ofHours(2)), "since", "must be before until");
        assertField(t, "since=" + now.minus(Duration.ofDays(32)), "since", "at most 31 days");
        assertField(t, "granularity=day&since=" + now.minus(Duration.ofDays(401)), "since", "at most 400 days");
        // The widest ranges allowed are fine.
        TestServer.expect(server.get(path(t.id(), "since=" + now.minus(Duration.ofDays(31)) + "&until=" + now),
                server.adminToken()), 200);
        TestServer.expect(server.get(path(t.id(), "granularity=day&since=" + now.minus(Duration.ofDays(400))
                + "&until=" + now), server.adminToken()), 200);
    }

    @Test
    void usageWhenUnknownTokenThen404() {
        TestServer.Response r = server.get("/v1/tokens/tok_00000000000000000000/usage", server.adminToken());

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void usageWhenCallerLacksTokensReadThen403AndWithoutTokenThen401() {
        Token t = token("use-forbidden", "use.forbidden:read");
        String principal = server.newPrincipal("use-reader");
        String role = server.newRole("use-reader", "keygate.audit:read");
        String weak = server.mint(principal, List.of(role), Map.of()).get("token").asText();

        assertThat(server.get(path(t.id(), ""), weak).status()).isEqualTo(403);
        assertThat(server.get(path(t.id(), ""), null).status()).isEqualTo(401);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private record Token(String id, String secret) {
    }

    /** The start of the UTC day after the clock's, the clock moved on to it: tests move time only forward. */
    private static Instant nextDay() {
        Instant day = Granularity.DAY.bucketStart(server.clock().instant()).plus(Duration.ofDays(1));
        server.clock().set(day);
        return day;
    }

    private static Token token(String base, String... permissions) {
        String principal = server.newPrincipal(base);
        String role = server.newRole(base, permissions);
        JsonNode minted = server.mint(principal, List.of(role), Map.of("ttl", "7d"));
        return new Token(minted.get("id").asText(), minted.get("token").asText());
    }

    private static void verify(Token t, String permission) {
        server.verify(t.secret(), permission);
    }

    private static void verifyFrom(Token t, String permission, String ip) {
        Map<String, Object> body = new HashMap<>();
        body.put("token", t.secret());
        body.put("permission", permission);
        body.put("context", Map.of("ip", ip));
        TestServer.expect(server.post("/v1/verify", null, body), 200);
    }

    private static String path(String id, String query) {
        return "/v1/tokens/" + id + "/usage" + (query.isEmpty() ? "" : "?" + query);
    }

    private static JsonNode usage(String id, String query) {
        return TestServer.expect(server.get(path(id, query), server.adminToken()), 200);
    }

    private static void assertField(Token t, String query, String field, String message) {
        TestServer.Response r = server.get(path(t.id(), query), server.adminToken());
        assertThat(r.status()).as(query).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("errors")).as(query).anySatisfy(e -> {
            assertThat(e.get("field").asText()).isEqualTo(field);
            assertThat(e.get("message").asText()).contains(message);
        });
    }
}
