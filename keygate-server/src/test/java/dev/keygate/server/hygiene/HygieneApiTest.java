package dev.keygate.server.hygiene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.usage.Granularity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/reports/hygiene} end to end: tokens planted in each section at clock-controlled times, the
 * least-privilege suggestions, rotation lines, what is left out (inactive tokens, keygate.* grants), and the
 * validation of the request. Tests move the clock forward only, a few days each, and ask for short periods
 * ({@code days=3}), so that the bootstrap admin token (90 days) outlives the class.
 */
class HygieneApiTest extends EndToEndTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] SECTIONS = {"unused", "never_used", "over_scoped", "not_enough_history",
        "permanent", "expiring_soon", "rotation_overdue", "writable_without_ip_binding"};

    @Test
    void reportWhenTokensUnusedOrNeverUsedThenListedAsSuchAndRecentlyUsedOnesNot() {
        Instant t = startOfNextDay();
        String p = TestServer.unique("hyg-unused");
        String role = server.newRole(p, p + ".docs:read");
        Token unused = mint(p + "-a", role, Map.of());
        Token never = mint(p + "-b", role, Map.of());
        Token recent = mint(p + "-c", role, Map.of());
        server.verify(unused.secret(), p + ".docs:read");
        server.flushAudit();
        server.clock().set(t.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(1)));
        server.verify(recent.secret(), p + ".docs:read");
        server.flushAudit();

        JsonNode report = report("days=3");

        assertThat(sectionsOf(report, unused.id())).containsExactly("unused");
        assertThat(entry(report, "unused", unused.id()).get("last_used_at").asText()).isEqualTo(t.toString());
        // Used nothing: also over-scoped (its suggestion: revoke it).
        assertThat(sectionsOf(report, never.id())).containsExactly("never_used", "over_scoped");
        assertThat(sectionsOf(report, recent.id())).isEmpty();
        // Over a longer period, the first token's use counts.
        assertThat(sectionsOf(report("days=4"), unused.id())).isEmpty();
    }

    @Test
    void reportWhenGrantsExceedUseThenOverScopedWithTheLeastPrivilegeSuggestion() {
        Instant t = startOfNextDay();
        String p = TestServer.unique("hyg-scope");
        String docsAll = server.newRole(p + "-docs-all", p + ".docs:*");
        String docsReader = server.newRole(p + "-docs-reader", p + ".docs:read");
        String storeAndQueue = server.newRole(p + "-store-queue", p + ".store:*", p + ".queue:*");
        String storeAll = server.newRole(p + "-store-all", p + ".store:*");
        String files = server.newRole(p + "-files", p + ".files:*", p + ".mail:send");
        String fits = server.newRole(p + "-fits", p + ".fits:read");
        Token wildcard = mint(p + "-wildcard", docsAll, Map.of());
        Token narrower = mint(p + "-narrower", storeAndQueue, Map.of());
        Token fresh = mint(p + "-new", files, Map.of());
        Token idle = mint(p + "-idle", fits, Map.of());
        Token exact = mint(p + "-exact", fits, Map.of());
        server.clock().set(t.plus(Duration.ofDays(2)));
        Token young = mint(p + "-young", docsAll, Map.of());
        server.verify(wildcard.secret(), p + ".docs:read");
        server.verify(wildcard.secret(), p + ".docs:read");
        server.verify(wildcard.secret(), p + ".billing:read"); // denied: exercises nothing
        server.verify(narrower.secret(), p + ".store:read");
        server.verify(fresh.secret(), p + ".files:read");
        server.verify(fresh.secret(), p + ".files:write");
        server.verify(idle.secret(), p + ".other:read"); // denied
        server.verify(idle.secret(), null); // a validity check exercises no permission
        server.verify(exact.secret(), p + ".fits:read");
        server.verify(young.secret(), p + ".docs:read");
        server.flushAudit();
        server.clock().set(t.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)));

        JsonNode report = report("days=3");

        JsonNode w = entry(report, "over_scoped", wildcard.id());
        assertThat(w.get("exercised")).isEqualTo(json(List.of(p + ".docs:read")));
        assertThat(w.get("unexercised")).isEmpty();
        assertThat(w.get("broader_than_used").toString()).isEqualTo("[{\"grant\":\"" + p + ".docs:*\",\"used\":[\""
                + p + ".docs:read\"]}]");
        assertThat(w.get("history_since").asText()).isEqualTo(t.toString());
        assertThat(w.get("suggestion").toString()).isEqualTo("{\"permissions\":[\"" + p + ".docs:read\"],"
                + "\"role\":\"" + docsReader + "\",\"role_exact\":true}");

        JsonNode n = entry(report, "over_scoped", narrower.id());
        assertThat(n.get("unexercised")).isEqualTo(json(List.of(p + ".queue:*")));
        assertThat(n.get("suggestion").toString()).isEqualTo("{\"permissions\":[\"" + p + ".store:read\"],"
                + "\"role\":\"" + storeAll + "\",\"role_exact\":false,\"new_role\":{\"name\":\"" + narrower.principal()
                + "-least-privilege\",\"permissions\":[\"" + p + ".store:read\"]}}");

        JsonNode f = entry(report, "over_scoped", fresh.id());
        assertThat(f.get("unexercised")).isEqualTo(json(List.of(p + ".mail:send")));
        assertThat(f.get("suggestion").toString()).isEqualTo("{\"permissions\":[\"" + p + ".files:read\",\"" + p
                + ".files:write\"],\"new_role\":{\"name\":\"" + fresh.principal()
                + "-least-privilege\",\"permissions\":[\"" + p + ".files:read\",\"" + p + ".files:write\"]}}");

        JsonNode i = entry(report, "over_scoped", idle.id());
        assertThat(i.get("exercised")).isEmpty();
        assertThat(i.get("unexercised")).isEqualTo(json(List.of(p + ".fits:read")));
        assertThat(i.get("suggestion").toString()).isEqualTo("{\"permissions\":[],\"revoke\":true}");

        assertThat(sectionsOf(report, exact.id())).isEmpty();
        assertThat(sectionsOf(report, young.id())).containsExactly("not_enough_history",
                "writable_without_ip_binding");
        assertThat(entry(report, "not_enough_history", young.id()).get("history_since").asText())
                .isEqualTo(t.plus(Duration.ofDays(2)).toString());
    }

    @Test
    void reportWhenTokenWasRotatedThenItsHistoryIncludesTheTokensItReplaced() {
        Instant t = startOfNextDay();
        String p = TestServer.unique("hyg-line");
        String docsAll = server.newRole(p + "-docs-all", p + ".docs:*");
        String docsReader = server.newRole(p + "-docs-reader", p + ".docs:read");
        Token first = mint(p, docsAll, Map.of());
        server.clock().set(t.plus(Duration.ofDays(1)));
        server.verify(first.secret(), p + ".docs:read");
        server.flushAudit();
        server.clock().set(t.plus(Duration.ofDays(2)));
        String successor = TestServer.expect(server.post("/v1/tokens/" + first.id() + "/rotate", server.adminToken(),
                Map.of()), 201).get("id").asText();
        server.clock().set(t.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)));

        JsonNode report = report("days=3");

        assertThat(sectionsOf(report, first.id())).as("rotated out: not active").isEmpty();
        JsonNode s = entry(report, "over_scoped", successor);
        assertThat(s.get("created_at").asText()).isEqualTo(t.plus(Duration.ofDays(2)).toString());
        assertThat(s.get("history_since").asText()).isEqualTo(t.toString());
        assertThat(s.get("exercised")).isEqualTo(json(List.of(p + ".docs:read")));
        assertThat(s.get("suggestion").get("role").asText()).isEqualTo(docsReader);
        assertThat(sectionsOf(report, successor)).containsExactly("never_used", "over_scoped",
                "writable_without_ip_binding");
    }

    @Test
    void reportWhenAllowedQueryThenItsGrantedPermissionsCountAsExercised() {
        Instant t = startOfNextDay();
        String p = TestServer.unique("hyg-query");
        Token q = mint(p, server.newRole(p, p + ".q:*", p + ".keep:read"), Map.of());
        server.clock().set(t.plus(Duration.ofDays(2)));
        server.verify(q.secret(), p + ".q:read and " + p + ".q:list");
        server.verify(q.secret(), p + ".keep:read OR " + p + ".nope:read");
        server.flushAudit();
        server.clock().set(t.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)));

        JsonNode e = entry(report("days=3"), "over_scoped", q.id());

        assertThat(e.get("exercised")).isEqualTo(json(List.of(p + ".keep:read", p + ".q:list", p + ".q:read")));
        assertThat(e.get("broader_than_used").get(0).get("used")).isEqualTo(json(List.of(p + ".q:list",
                p + ".q:read")));
    }

    @Test
    void reportWhenOnlyKeygateGrantsThenNotAnalysedForScopeButWritableWithoutBinding() {
        startOfNextDay();
        String p = TestServer.unique("hyg-admin");
        Token reader = mint(p + "-r", server.newRole(p + "-r", "keygate.audit:read"), Map.of());
        Token writer = mint(p + "-w", server.newRole(p + "-w", "keygate.tokens:revoke"), Map.of());
        server.clock().advance(Duration.ofDays(4));

        JsonNode report = report("days=3");

        assertThat(sectionsOf(report, reader.id())).containsExactly("never_used");
        assertThat(sectionsOf(report, writer.id())).containsExactly("never_used", "writable_without_ip_binding");
    }

    @Test
    void reportWhenPermanentExpiringOverdueOrWritableThenListedAndInactiveTokensNot() {
        server.restart(b -> b.allowPermanentTokens(true));
        Instant t = startOfNextDay();
        String p = TestServer.unique("hyg-life");
        String reader = server.newRole(p + "-reader", p + ".docs:read", p + ".docs:list", p + ".docs:get");
        String writer = server.newRole(p + "-writer", p + ".docs:write");
        String any = server.newRole(p + "-any", p + ".docs:*");
        Token permanent = mint(p + "-perm", reader, Map.of("permanent", true));
        Token soon = mint(p + "-soon", reader, Map.of("ttl", "7d"));
        Token sooner = mint(p + "-sooner", reader, Map.of("ttl", "3d"));
        Token later = mint(p + "-later", reader, Map.of("ttl", "9d"));
        Token due = mint(p + "-due", reader, Map.of("rotate_every", "1d"));
        Token rotatedDue = mint(p + "-rotated", reader, Map.of("rotate_every", "1d", "ttl", "30d"));
        Token writes = mint(p + "-writes", writer, Map.of());
        Token anyAction = mint(p + "-anyaction", any, Map.of());
        Token bound = mint(p + "-bound", writer, Map.of("allowed_cidrs", List.of("10.0.0.0/8")));
        Token revoked = mint(p + "-revoked", writer, Map.of());
        Token expired = mint(p + "-expired", writer, Map.of("ttl", "1h"));
        TestServer.expect(server.post("/v1/tokens/" + revoked.id() + "/revoke", server.adminToken(), Map.of()), 200);
        server.clock().set(t.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(1)));
        String successor = TestServer.expect(server.post("/v1/tokens/" + rotatedDue.id() + "/rotate",
                server.adminToken(), Map.of("grace", "1h")), 201).get("id").asText();

        JsonNode report = report("");

        assertThat(report.get("days").asInt()).isEqualTo(30);
        assertThat(lifeSectionsOf(report, permanent.id())).containsExactly("permanent");
        assertThat(entry(report, "permanent", permanent.id()).get("permanent").asBoolean()).isTrue();
        assertThat(entry(report, "permanent", permanent.id()).has("expires_at")).isFalse();
        assertThat(lifeSectionsOf(report, soon.id())).containsExactly("expiring_soon");
        assertThat(entry(report, "expiring_soon", soon.id()).get("expires_at").asText())
                .isEqualTo(t.plus(Duration.ofDays(7)).toString());
        assertThat(lifeSectionsOf(report, later.id())).isEmpty();
        assertThat(lifeSectionsOf(report, due.id())).containsExactly("rotation_overdue");
        assertThat(entry(report, "rotation_overdue", due.id()).get("rotation_due_at").asText())
                .isEqualTo(t.plus(Duration.ofDays(1)).toString());
        assertThat(lifeSectionsOf(report, rotatedDue.id())).as("in its grace, with a successor").isEmpty();
        assertThat(lifeSectionsOf(report, successor)).isEmpty();
        assertThat(entry(report, "writable_without_ip_binding", writes.id()).get("write_permissions"))
                .isEqualTo(json(List.of(p + ".docs:write")));
        assertThat(entry(report, "writable_without_ip_binding", anyAction.id()).get("write_permissions"))
                .isEqualTo(json(List.of(p + ".docs:*")));
        assertThat(lifeSectionsOf(report, bound.id())).isEmpty();
        // Young and never used: not enough history to call them over-scoped.
        assertThat(sectionsOf(report, soon.id())).containsExactly("never_used", "not_enough_history",
                "expiring_soon");
        assertThat(sectionsOf(report, revoked.id())).isEmpty();
        assertThat(sectionsOf(report, expired.id())).isEmpty();
        // Sorted: the soonest to expire first.
        List<String> expiring = ids(report, "expiring_soon");
        assertThat(expiring).contains(sooner.id());
        assertThat(expiring.indexOf(sooner.id())).isLessThan(expiring.indexOf(soon.id()));
        assertThat(report.get("active_tokens").asInt()).isGreaterThanOrEqualTo(9);
        assertThat(report.get("usage_since").asText()).isEqualTo(Granularity.DAY.bucketStart(
                server.clock().instant()).minus(Duration.ofDays(30)).toString());
    }

    // ---- validation ----------------------------------------------------------------------------------------

    @Test
    void reportWhenParametersInvalidThen400NamingTheParameter() {
        for (String days : List.of("0", "401", "abc", "3.5", "")) {
            TestServer.Response r = server.get("/v1/reports/hygiene?days=" + days, server.adminToken());
            assertThat(r.status()).as(days).isEqualTo(400);
            assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("days");
            assertThat(r.json().get("errors").get(0).get("message").asText()).contains("between 1 and 400");
        }
        TestServer.Response unknown = server.get("/v1/reports/hygiene?day=3", server.adminToken());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("day");
        TestServer.expect(server.get("/v1/reports/hygiene?days=400", server.adminToken()), 200);
        TestServer.expect(server.get("/v1/reports/hygiene?days=1", server.adminToken()), 200);
    }

    @Test
    void reportWhenCallerLacksReportsReadThen403AndWithoutTokenThen401() {
        String p = TestServer.unique("hyg-forbidden");
        Token tokensReader = mint(p, server.newRole(p, "keygate.tokens:read", "keygate.roles:read"), Map.of());
        Token reportsReader = mint(p + "-ok", server.newRole(p + "-ok", "keygate.reports:read"), Map.of());

        TestServer.Response forbidden = server.get("/v1/reports/hygiene", tokensReader.secret());
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("detail").asText()).contains("keygate.reports:read");
        assertThat(server.get("/v1/reports/hygiene", null).status()).isEqualTo(401);
        TestServer.expect(server.get("/v1/reports/hygiene", reportsReader.secret()), 200);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private record Token(String id, String secret, String principal) {
    }

    /** One hour into the UTC day after the clock's: the clock only moves forward. */
    private static Instant startOfNextDay() {
        Instant t = Granularity.DAY.bucketStart(server.clock().instant()).plus(Duration.ofDays(1)).plus(
                Duration.ofHours(1));
        server.clock().set(t);
        return t;
    }

    private static Token mint(String principalBase, String role, Map<String, Object> extra) {
        String principal = TestServer.unique(principalBase);
        server.createPrincipal(principal, "service");
        Map<String, Object> body = new HashMap<>(Map.of("ttl", "30d"));
        body.putAll(extra);
        if (extra.containsKey("permanent")) {
            body.remove("ttl");
        }
        JsonNode minted = server.mint(principal, List.of(role), body);
        return new Token(minted.get("id").asText(), minted.get("token").asText(), principal);
    }

    private static JsonNode report(String query) {
        return TestServer.expect(server.get("/v1/reports/hygiene" + (query.isEmpty() ? "" : "?" + query),
                server.adminToken()), 200);
    }

    private static List<String> sectionsOf(JsonNode report, String id) {
        return Arrays.stream(SECTIONS).filter(s -> entry(report, s, id) != null).toList();
    }

    /** The sections about a token's life and reach, which do not depend on its use. */
    private static List<String> lifeSectionsOf(JsonNode report, String id) {
        return sectionsOf(report, id).stream().filter(s -> List.of("permanent", "expiring_soon",
                "rotation_overdue", "writable_without_ip_binding").contains(s)).toList();
    }

    private static JsonNode entry(JsonNode report, String section, String id) {
        return StreamSupport.stream(report.get(section).spliterator(), false)
                .filter(e -> e.get("id").asText().equals(id)).findFirst().orElse(null);
    }

    private static List<String> ids(JsonNode report, String section) {
        return StreamSupport.stream(report.get(section).spliterator(), false).map(e -> e.get("id").asText()).toList();
    }

    private static JsonNode json(Object value) {
        return MAPPER.valueToTree(value);
    }
}
