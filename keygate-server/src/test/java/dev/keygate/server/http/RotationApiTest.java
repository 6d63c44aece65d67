package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/tokens/{id}/rotate}: the successor, the grace period and the {@code ROTATED} code, the links,
 * the 409s, the caps on grace and who may rotate; {@code rotate_every} and {@code ?rotation_due=true}.
 */
class RotationApiTest extends EndToEndTest {

    @Test
    void rotateWhenNoGraceThenOldStopsAtOnceAndSuccessorCarriesEverything() {
        String principal = server.newPrincipal("rot-nograce");
        String role = server.newRole("rot-nograce", "orders.items:read");
        JsonNode old = server.mint(principal, List.of(role),
                Map.of("ttl", "2h", "environment", "staging", "name", "ci deploy"));
        server.clock().advance(Duration.ofMinutes(30));
        Instant now = now();

        TestServer.Response r = server.post("/v1/tokens/" + id(old) + "/rotate", admin(), Map.of());

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode successor = r.json();
        assertThat(successor.get("token").asText()).startsWith("kg_staging_").isNotEqualTo(old.get("token").asText());
        assertThat(successor.get("principal").asText()).isEqualTo(principal);
        assertThat(successor.get("roles")).extracting(JsonNode::asText).containsExactly(role);
        assertThat(successor.get("environment").asText()).isEqualTo("staging");
        assertThat(successor.get("name").asText()).isEqualTo("ci deploy");
        assertThat(successor.get("rotated_from").asText()).isEqualTo(id(old));
        assertThat(instant(successor, "expires_at")).as("a fresh lifetime of the same length")
                .isEqualTo(now.plus(Duration.ofHours(2)));
        JsonNode oldNow = get(id(old));
        assertThat(oldNow.get("rotated_to").asText()).isEqualTo(id(successor));
        assertThat(instant(oldNow, "rotation_ends_at")).isEqualTo(now);
        assertThat(oldNow.get("status").asText()).isEqualTo("rotated");
        assertThat(code(old, null)).isEqualTo("ROTATED");
        assertThat(code(successor, "orders.items:read")).isEqualTo("VALID");
    }

    @Test
    void rotateWhenGraceGivenThenOldWorksUntilGraceEndsThenRotated() {
        JsonNode old = minted("rot-grace", "orders.items:read");

        JsonNode successor = rotate(id(old), "1h");

        assertThat(code(old, "orders.items:read")).isEqualTo("VALID");
        assertThat(get(id(old)).get("status").asText()).isEqualTo("active");
        server.clock().advance(Duration.ofHours(1).minusMillis(1));
        assertThat(code(old, "orders.items:read")).as("1 ms before the grace ends").isEqualTo("VALID");
        server.clock().advance(Duration.ofMillis(1));
        assertThat(code(old, "orders.items:read")).isEqualTo("ROTATED");
        assertThat(code(successor, "orders.items:read")).isEqualTo("VALID");
    }

    @Test
    void rotateWhenAlreadyRotatedThen409EvenDuringGrace() {
        JsonNode old = minted("rot-twice", "orders.items:read");
        rotate(id(old), "1h");

        TestServer.Response again = server.post("/v1/tokens/" + id(old) + "/rotate", admin(), Map.of());

        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("rotated already");
        server.clock().advance(Duration.ofHours(2));
        assertThat(server.post("/v1/tokens/" + id(old) + "/rotate", admin(), Map.of()).status()).isEqualTo(409);
    }

    @Test
    void rotateWhenRevokedOrExpiredThen409() {
        JsonNode revoked = minted("rot-revoked", "orders.items:read");
        TestServer.expect(server.post("/v1/tokens/" + id(revoked) + "/revoke", admin(), Map.of()), 200);
        JsonNode expiring = minted("rot-expired", "orders.items:read");

        TestServer.Response r1 = server.post("/v1/tokens/" + id(revoked) + "/rotate", admin(), Map.of());
        server.clock().advance(Duration.ofDays(2));
        TestServer.Response r2 = server.post("/v1/tokens/" + id(expiring) + "/rotate", admin(), Map.of());

        assertThat(r1.status()).isEqualTo(409);
        assertThat(r1.json().get("detail").asText()).contains("revoked");
        assertThat(r2.status()).isEqualTo(409);
        assertThat(r2.json().get("detail").asText()).contains("expired");
    }

    @Test
    void rotateWhenGraceInvalidOrBeyondMaximumThen400AndNothingChanges() {
        JsonNode old = minted("rot-badgrace", "orders.items:read");

        TestServer.Response tooLong = server.post("/v1/tokens/" + id(old) + "/rotate", admin(), Map.of("grace", "8d"));
        TestServer.Response malformed = server.post("/v1/tokens/" + id(old) + "/rotate", admin(),
                Map.of("grace", "1 hour"));
        TestServer.Response unknownField = server.post("/v1/tokens/" + id(old) + "/rotate", admin(),
                Map.of("grace", "1h", "ttl", "1h"));

        assertValidationError(tooLong, "grace");
        assertThat(tooLong.json().toString()).contains("7d").contains("--max-rotation-grace");
        assertValidationError(malformed, "grace");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(get(id(old)).has("rotated_to")).isFalse();
        assertThat(server.tokensOf(get(id(old)).get("principal").asText())).hasSize(1);
    }

    /** Revoking the current token of a line ends the whole line: the old token's grace too. */
    @Test
    void revokeWhenSuccessorRevokedThenPredecessorInGraceIsRevokedToo() {
        JsonNode old = minted("rot-revoke-line", "orders.items:read");
        JsonNode successor = rotate(id(old), "1h");

        JsonNode r = TestServer.expect(server.post("/v1/tokens/" + id(successor) + "/revoke", admin(),
                Map.of("reason", "leaked")), 200);

        assertThat(r.get("revoked_count").asInt()).isEqualTo(2);
        assertThat(code(old, null)).isEqualTo("REVOKED");
        assertThat(code(successor, null)).isEqualTo("REVOKED");
    }

    @Test
    void revokeWhenPredecessorRevokedThenSuccessorStaysLive() {
        JsonNode old = minted("rot-revoke-old", "orders.items:read");
        JsonNode successor = rotate(id(old), "1h");

        JsonNode r = TestServer.expect(server.post("/v1/tokens/" + id(old) + "/revoke", admin(), Map.of()), 200);

        assertThat(r.get("revoked_count").asInt()).isEqualTo(1);
        assertThat(code(successor, null)).isEqualTo("VALID");
    }

    @Test
    void rotateWhenServerForbidsGraceThenOnlyZeroGraceIsAccepted() {
        try (TestServer strict = TestServer.start(store, b -> b.maxRotationGrace("0"))) {
            strict.createPrincipal("rot-strict", "service");
            strict.createRole("rot-strict", "orders.items:read");
            JsonNode t = strict.mint("rot-strict", List.of("rot-strict"), Map.of());

            assertValidationError(strict.post("/v1/tokens/" + id(t) + "/rotate", strict.adminToken(),
                    Map.of("grace", "1m")), "grace");
            assertThat(strict.post("/v1/tokens/" + id(t) + "/rotate", strict.adminToken(), Map.of("grace", "0"))
                    .status()).isEqualTo(201);
        }
    }

    @Test
    void rotateWhenUnknownTokenThen404() {
        assertThat(server.post("/v1/tokens/tok_00000000000000000000/rotate", admin(), Map.of()).status())
                .isEqualTo(404);
    }

    @Test
    void rotateWhenCallerLacksRotatePermissionThen403() {
        JsonNode target = minted("rot-noperm", "orders.items:read");
        String caller = server.principalWithToken(TestServer.unique("rot-noperm-caller"),
                "keygate.tokens:read", "orders.items:read").get("token").asText();

        TestServer.Response r = server.post("/v1/tokens/" + id(target) + "/rotate", caller, Map.of());

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").asText()).contains("keygate.tokens:rotate");
    }

    /** Rotation hands out a new secret for the token: a caller that could not mint it may not rotate it. */
    @Test
    void rotateWhenCallerDoesNotCoverTheTokensPermissionsThen403AndNoSuccessor() {
        JsonNode target = minted("rot-escalate", "payments.refunds:write");
        String caller = server.principalWithToken(TestServer.unique("rot-escalate-caller"),
                "keygate.tokens:rotate", "orders.items:read").get("token").asText();

        TestServer.Response r = server.post("/v1/tokens/" + id(target) + "/rotate", caller, Map.of());

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").asText()).contains("payments.refunds:write");
        assertThat(get(id(target)).has("rotated_to")).isFalse();
    }

    @Test
    void rotateWhenTokenRotatesItselfThenAllowed() {
        JsonNode self = server.principalWithToken(TestServer.unique("rot-self"), "keygate.tokens:rotate");

        TestServer.Response r = server.post("/v1/tokens/" + id(self) + "/rotate", self.get("token").asText(),
                Map.of("grace", "5m"));

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().get("created_by").asText()).isEqualTo(id(self));
    }

    /** Many concurrent rotations of one token: exactly one successor, every other attempt a 409. */
    @RepeatedTest(3)
    void rotateWhenConcurrentThenExactlyOneSucceeds() throws Exception {
        JsonNode old = minted("rot-race", "orders.items:read");
        int threads = 8;

        List<Integer> statuses = Race.times(threads, () ->
                server.post("/v1/tokens/" + id(old) + "/rotate", admin(), Map.of("grace", "1m")).status());

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(threads - 1);
        String principal = get(id(old)).get("principal").asText();
        assertThat(server.tokensOf(principal)).as("the old token and one successor").hasSize(2);
    }

    @Test
    void rotateWhenDoneThenAuditedWithSuccessor() {
        JsonNode old = minted("rot-audit", "orders.items:read");
        JsonNode successor = rotate(id(old), "10m");

        server.flushAudit();
        JsonNode items = TestServer.expect(server.get("/v1/audit?token_id=" + id(old) + "&action=token.rotate",
                admin()), 200).get("items");

        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("detail").asText()).contains("successor=" + id(successor)).contains("grace=10m");
    }

    // ---- rotate_every and rotation_due ----------------------------------------------------------------------

    @Test
    void rotationDueWhenScheduleElapsesThenListedUntilRotatedAndSuccessorKeepsSchedule() {
        String principal = server.newPrincipal("rot-due");
        String role = server.newRole("rot-due", "orders.items:read");
        JsonNode t = server.mint(principal, List.of(role), Map.of("ttl", "90d", "rotate_every", "30d"));
        JsonNode unscheduled = server.mint(principal, List.of(role), Map.of("ttl", "90d"));
        assertThat(t.get("rotate_every").asText()).isEqualTo("30d");
        assertThat(instant(t, "rotation_due_at")).isEqualTo(instant(t, "created_at").plus(Duration.ofDays(30)));

        server.clock().advance(Duration.ofDays(30).minusMillis(1));
        assertThat(due(principal)).isEmpty();
        server.clock().advance(Duration.ofMillis(1));
        assertThat(due(principal)).containsExactly(id(t));

        JsonNode successor = rotate(id(t), "1h");
        assertThat(due(principal)).isEmpty();
        assertThat(successor.get("rotate_every").asText()).isEqualTo("30d");
        assertThat(instant(successor, "rotation_due_at")).isEqualTo(now().plus(Duration.ofDays(30)));
        assertThat(due(principal)).doesNotContain(id(unscheduled));
    }

    @Test
    void listWhenRotationDueMalformedOrWithOtherStatusThen400() {
        assertValidationError(server.get("/v1/tokens?rotation_due=yes", admin()), "rotation_due");
        assertValidationError(server.get("/v1/tokens?rotation_due=true&status=revoked", admin()), "rotation_due");
        assertValidationError(server.post("/v1/tokens", admin(), Map.of("principal", "x", "roles", List.of("r"),
                "rotate_every", "monthly")), "rotate_every");
    }

    @Test
    void listWhenStatusRotatedThenOnlyTokensPastTheirGrace() {
        String principal = server.newPrincipal("rot-status");
        String role = server.newRole("rot-status", "orders.items:read");
        JsonNode a = server.mint(principal, List.of(role), Map.of());
        JsonNode b = server.mint(principal, List.of(role), Map.of());
        rotate(id(a), null);
        JsonNode bNext = rotate(id(b), "1h");

        JsonNode items = TestServer.expect(server.get("/v1/tokens?principal=" + principal + "&status=rotated",
                admin()), 200).get("items");

        assertThat(items.valueStream().map(RotationApiTest::id).toList()).containsExactly(id(a));
        JsonNode active = TestServer.expect(server.get("/v1/tokens?principal=" + principal + "&status=active",
                admin()), 200).get("items");
        assertThat(active.valueStream().map(RotationApiTest::id).toList()).contains(id(b), id(bNext));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static JsonNode minted(String base, String... permissions) {
        String principal = server.newPrincipal(base);
        String role = server.newRole(base, permissions);
        return server.mint(principal, List.of(role), Map.of());
    }

    private static JsonNode rotate(String id, String grace) {
        return TestServer.expect(server.post("/v1/tokens/" + id + "/rotate", admin(),
                grace == null ? Map.of() : Map.of("grace", grace)), 201);
    }

    private static List<String> due(String principal) {
        return TestServer.expect(server.get("/v1/tokens?principal=" + principal + "&rotation_due=true", admin()), 200)
                .get("items").valueStream().map(RotationApiTest::id).toList();
    }

    private static JsonNode get(String id) {
        return TestServer.expect(server.get("/v1/tokens/" + id, admin()), 200);
    }

    private static String code(JsonNode token, String permission) {
        return server.verify(token.get("token").asText(), permission).get("code").asText();
    }

    static String id(JsonNode token) {
        return token.get("id").asText();
    }

    private static String admin() {
        return server.adminToken();
    }

    private static Instant now() {
        return server.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant instant(JsonNode node, String field) {
        assertThat(node.hasNonNull(field)).as("%s is present in %s", field, node).isTrue();
        return Instant.parse(node.get(field).asText());
    }

    static void assertValidationError(TestServer.Response r, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).contains(field);
    }
}
