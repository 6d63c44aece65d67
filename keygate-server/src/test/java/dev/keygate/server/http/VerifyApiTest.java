package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/verify}: every code, what each answer may disclose, the request's validation, pattern
 * permissions, and the audit trail and last-use time each verification leaves.
 */
class VerifyApiTest extends EndToEndTest {

    private static final List<String> UNDISCLOSING_FIELDS = List.of("valid", "allowed", "code");

    /** A minted token: its secret, id and principal. */
    private record Minted(String secret, String id, String principal) {
    }

    // ---- VALID and FORBIDDEN -------------------------------------------------------------------------------

    @Test
    void verifyWhenLiveTokenAndNoPermissionAskedThenValidWithTheTokensDescription() {
        String role = server.newRole("plain", "billing.invoices:read", "billing.payments:read");
        Minted t = mint("plain", List.of(role), Map.of());

        JsonNode r = verify(Map.of("token", t.secret()));

        assertThat(r.get("valid").asBoolean()).isTrue();
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.get("code").asText()).isEqualTo("VALID");
        assertThat(r.get("token_id").asText()).isEqualTo(t.id());
        assertThat(r.get("principal").asText()).isEqualTo(t.principal());
        assertThat(r.get("roles")).extracting(JsonNode::asText).containsExactly(role);
        assertThat(r.get("permissions")).extracting(JsonNode::asText)
                .containsExactly("billing.invoices:read", "billing.payments:read");
        assertThat(r.get("environment").asText()).isEqualTo("live");
        assertThat(Instant.parse(r.get("expires_at").asText())).isEqualTo(now().plus(Duration.ofHours(24)));
    }

    /** Regression: permissions followed the store's row order (by role name on SQLite), not the token's roles. */
    @Test
    void verifyWhenPermissionGrantedThenValidWithPermissionsInTheOrderOfTheRoles() {
        String reader = server.newRole("granted-reader", "billing.invoices:read");
        String payer = server.newRole("granted-payer", "billing.payments:write");
        Minted t = mint("granted", List.of(reader, payer), Map.of());

        JsonNode r = verify(Map.of("token", t.secret(), "permission", "billing.payments:write"));

        assertThat(r.get("code").asText()).isEqualTo("VALID");
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.get("roles")).extracting(JsonNode::asText).containsExactly(reader, payer);
        assertThat(r.get("permissions")).extracting(JsonNode::asText)
                .containsExactly("billing.invoices:read", "billing.payments:write");
    }

    @Test
    void verifyWhenWildcardGrantCoversPermissionThenValid() {
        Minted t = mint("wildcard",
                List.of(server.newRole("wildcard", "billing.*:read", "deploy.releases:*")), Map.of());

        assertThat(code(t.secret(), "billing.invoices:read")).isEqualTo("VALID");
        assertThat(code(t.secret(), "billing.invoices.lines:read")).isEqualTo("VALID");
        assertThat(code(t.secret(), "deploy.releases:create")).isEqualTo("VALID");
        assertThat(code(t.secret(), "billing:read")).as("billing.* never matches billing itself")
                .isEqualTo("FORBIDDEN");
        assertThat(code(t.secret(), "billingx.invoices:read")).isEqualTo("FORBIDDEN");
        assertThat(code(t.secret(), "billing.invoices:write")).isEqualTo("FORBIDDEN");
        assertThat(code(t.secret(), "deploy.releases.notes:create")).isEqualTo("FORBIDDEN");
    }

    @Test
    void verifyWhenPermissionNotGrantedThenForbiddenWithTheTokensDescription() {
        String role = server.newRole("forbidden", "billing.invoices:read");
        Minted t = mint("forbidden", List.of(role), Map.of());

        JsonNode r = verify(Map.of("token", t.secret(), "permission", "billing.invoices:write"));

        assertThat(r.get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(r.get("valid").asBoolean()).isTrue();
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.get("token_id").asText()).isEqualTo(t.id());
        assertThat(r.get("principal").asText()).isEqualTo(t.principal());
        assertThat(r.get("roles")).extracting(JsonNode::asText).containsExactly(role);
        assertThat(r.get("permissions")).extracting(JsonNode::asText).containsExactly("billing.invoices:read");
        assertThat(r.get("environment").asText()).isEqualTo("live");
        assertThat(r.hasNonNull("expires_at")).isTrue();
    }

    @Test
    void verifyWhenPatternAskedThenAllowedOnlyIfAGrantIsAtLeastAsBroad() {
        Minted wide = mint("pattern-wide", List.of(server.newRole("pattern-wide", "billing.*:read")), Map.of());
        Minted narrow = mint("pattern-narrow",
                List.of(server.newRole("pattern-narrow", "billing.invoices:read", "billing.payments:read")), Map.of());
        Minted actions = mint("pattern-actions",
                List.of(server.newRole("pattern-actions", "billing.invoices:*")), Map.of());

        assertThat(code(wide.secret(), "billing.*:read")).isEqualTo("VALID");
        assertThat(code(wide.secret(), "billing.invoices.*:read")).isEqualTo("VALID");
        assertThat(code(wide.secret(), "billing.*:*")).isEqualTo("FORBIDDEN");
        assertThat(code(narrow.secret(), "billing.*:read")).as("narrow grants never add up to a wildcard")
                .isEqualTo("FORBIDDEN");
        assertThat(code(actions.secret(), "billing.invoices:*")).isEqualTo("VALID");
        assertThat(code(narrow.secret(), "billing.invoices:*")).isEqualTo("FORBIDDEN");
        assertThat(code(narrow.secret(), "*:*")).isEqualTo("FORBIDDEN");
    }

    // ---- EXPIRED -------------------------------------------------------------------------------------------

    @Test
    void verifyWhenClockPastExpiryThenExpiredAndDisclosesNothing() {
        Minted t = mint("expired", List.of(server.newRole("expired", "billing.invoices:read")), Map.of("ttl", "1h"));
        assertThat(code(t.secret(), "billing.invoices:read")).isEqualTo("VALID");

        server.clock().advance(Duration.ofHours(2));

        JsonNode r = verify(Map.of("token", t.secret(), "permission", "billing.invoices:read"));
        assertThat(r.get("code").asText()).isEqualTo("EXPIRED");
        assertThat(r.get("valid").asBoolean()).isFalse();
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertDisclosesNothing(r);
    }

    @Test
    void verifyWhenClockExactlyAtExpiresAtThenExpired() {
        Minted t = mint("expiry-edge",
                List.of(server.newRole("expiry-edge", "billing.invoices:read")), Map.of("ttl", "10m"));

        server.clock().advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(code(t.secret(), null)).as("one millisecond before expires_at").isEqualTo("VALID");

        server.clock().advance(Duration.ofMillis(1));
        assertThat(code(t.secret(), null)).as("at expires_at").isEqualTo("EXPIRED");
    }

    // ---- REVOKED -------------------------------------------------------------------------------------------

    @Test
    void verifyWhenRevokedThenRefusedByTheVeryNextVerify() {
        Minted t = mint("revoked-cold", List.of(server.newRole("revoked-cold", "billing.invoices:read")), Map.of());

        revoke(t);

        JsonNode r = verify(Map.of("token", t.secret(), "permission", "billing.invoices:read"));
        assertThat(r.get("code").asText()).isEqualTo("REVOKED");
        assertThat(r.get("valid").asBoolean()).isFalse();
        assertDisclosesNothing(r);
    }

    @Test
    void verifyWhenRevokedAfterBeingVerifiedAndCachedThenRefusedAtOnce() {
        Minted t = mint("revoked-warm", List.of(server.newRole("revoked-warm", "billing.invoices:read")), Map.of());
        for (int i = 0; i < 3; i++) {
            assertThat(code(t.secret(), "billing.invoices:read")).isEqualTo("VALID");
        }

        revoke(t);

        assertThat(code(t.secret(), "billing.invoices:read")).isEqualTo("REVOKED");
        assertThat(code(t.secret(), null)).isEqualTo("REVOKED");
    }

    @Test
    void verifyWhenRevokedAndExpiredThenRevoked() {
        Minted t = mint("revoked-expired", List.of(server.newRole("revoked-expired", "billing.invoices:read")),
                Map.of("ttl", "1m"));
        revoke(t);

        server.clock().advance(Duration.ofMinutes(2));

        assertThat(code(t.secret(), null)).as("revoked is checked before expired").isEqualTo("REVOKED");
    }

    // ---- ENVIRONMENT_MISMATCH ------------------------------------------------------------------------------

    @Test
    void verifyWhenEnvironmentDiffersThenEnvironmentMismatchAndWhenSameThenValid() {
        Minted t = mint("staging", List.of(server.newRole("staging", "billing.invoices:read")),
                Map.of("environment", "staging"));

        JsonNode live = verify(Map.of("token", t.secret(), "permission", "billing.invoices:read",
                "environment", "live"));
        JsonNode staging = verify(Map.of("token", t.secret(), "permission", "billing.invoices:read",
                "environment", "staging"));

        assertThat(live.get("code").asText()).isEqualTo("ENVIRONMENT_MISMATCH");
        assertThat(live.get("valid").asBoolean()).isFalse();
        assertThat(live.get("allowed").asBoolean()).isFalse();
        assertDisclosesNothing(live);
        assertThat(staging.get("code").asText()).isEqualTo("VALID");
        assertThat(staging.get("environment").asText()).isEqualTo("staging");
    }

    @Test
    void verifyWhenEnvironmentMismatchesAndPermissionLackingThenEnvironmentMismatchIsReported() {
        Minted t = mint("env-first", List.of(server.newRole("env-first", "billing.invoices:read")),
                Map.of("environment", "staging"));

        JsonNode r = verify(Map.of("token", t.secret(), "permission", "billing.invoices:write",
                "environment", "live"));

        assertThat(r.get("code").asText()).isEqualTo("ENVIRONMENT_MISMATCH");
        assertDisclosesNothing(r);
    }

    // ---- NOT_FOUND -----------------------------------------------------------------------------------------

    static Stream<Arguments> unknownOrMalformedTokens() {
        String neverStored = TokenFormat.mint("live", new SecureRandom());
        return Stream.of(
                Arguments.of("a well-formed token that was never stored", neverStored),
                Arguments.of("garbage", "hello"),
                Arguments.of("the prefix alone", "kg_live_"),
                Arguments.of("10,000 characters", "kg_live_" + "a".repeat(10_000 - 8)),
                Arguments.of("an upper-case environment", "kg_LIVE_" + neverStored.substring(8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownOrMalformedTokens")
    void verifyWhenTokenUnknownOrMalformedThenNotFoundAndDisclosesNothing(String description, String token) {
        JsonNode r = verify(Map.of("token", token, "permission", "billing.invoices:read"));

        assertThat(r.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(r.get("valid").asBoolean()).isFalse();
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertDisclosesNothing(r);
    }

    @Test
    void verifyWhenOneCharacterOfALiveTokenChangedThenNotFound() {
        Minted t = mint("tampered", List.of(server.newRole("tampered", "billing.invoices:read")), Map.of());
        String secret = t.secret();
        assertThat(code(secret, null)).isEqualTo("VALID");

        for (int position : List.of(8, 20, secret.length() - 7, secret.length() - 1)) {
            char c = secret.charAt(position);
            String changed = secret.substring(0, position) + (c == 'x' ? 'y' : 'x') + secret.substring(position + 1);
            JsonNode r = verify(Map.of("token", changed));
            assertThat(r.get("code").asText()).as("changed at %d", position).isEqualTo("NOT_FOUND");
            assertDisclosesNothing(r);
        }
    }

    // ---- bad requests --------------------------------------------------------------------------------------

    @Test
    void verifyWhenTokenMissingThenReturns400() {
        TestServer.Response missing = server.post("/v1/verify", null, Map.of("permission", "billing.invoices:read"));
        TestServer.Response empty = server.post("/v1/verify", null, Map.of("token", ""));

        assertBadRequest(missing, "token");
        assertBadRequest(empty, "token");
    }

    @Test
    void verifyWhenPermissionMalformedThenReturns400NamingPermission() {
        Minted t = mint("bad-permission", List.of(server.newRole("bad-permission", "billing.invoices:read")), Map.of());

        for (String permission : List.of("billing", "billing:", "Billing.Invoices:read", "billing.*.lines:read",
                "billing.inv*:read", "")) {
            TestServer.Response r = server.post("/v1/verify", null,
                    Map.of("token", t.secret(), "permission", permission));
            assertBadRequest(r, "permission");
            assertThat(r.json().get("errors").get(0).get("field").asText()).as("permission '%s'", permission)
                    .isEqualTo("permission");
        }
    }

    @Test
    void verifyWhenEnvironmentMalformedThenReturns400NamingEnvironment() {
        Minted t = mint("bad-environment",
                List.of(server.newRole("bad-environment", "billing.invoices:read")), Map.of());

        TestServer.Response r = server.post("/v1/verify", null, Map.of("token", t.secret(), "environment", "LIVE"));

        assertBadRequest(r, "environment");
    }

    @Test
    void verifyWhenUnknownFieldThenReturns400() {
        Minted t = mint("unknown-field", List.of(server.newRole("unknown-field", "billing.invoices:read")), Map.of());

        TestServer.Response r = server.post("/v1/verify", null, Map.of("token", t.secret(), "scope", "all"));

        assertBadRequest(r, "scope");
    }

    @Test
    void verifyWhenNoAuthorizationHeaderThenAnswersFromTheTokenInTheBody() {
        Minted t = mint("no-auth", List.of(server.newRole("no-auth", "billing.invoices:read")), Map.of());

        TestServer.Response r = server.post("/v1/verify", null,
                Map.of("token", t.secret(), "permission", "billing.invoices:read"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("WWW-Authenticate")).isNull();
        assertThat(r.json().get("code").asText()).isEqualTo("VALID");
    }

    // ---- side effects: last use and audit ------------------------------------------------------------------

    @Test
    void verifyWhenTokenFoundThenLastUsedAtIsRecorded() {
        Minted t = mint("last-used", List.of(server.newRole("last-used", "billing.invoices:read")), Map.of());
        assertThat(token(t).has("last_used_at")).isFalse();
        server.clock().advance(Duration.ofSeconds(30));
        Instant usedAt = now();

        verify(Map.of("token", t.secret(), "permission", "billing.invoices:read"));
        server.flushAudit();

        assertThat(Instant.parse(token(t).get("last_used_at").asText())).isEqualTo(usedAt);
    }

    @Test
    void verifyWhenCalledThenEachVerificationIsAuditedWithCodeDecisionAndOrigin() {
        Minted t = mint("audited", List.of(server.newRole("audited", "billing.invoices:read")), Map.of());

        verify(Map.of("token", t.secret(), "permission", "billing.invoices:read"));
        verify(Map.of("token", t.secret(), "permission", "billing.invoices:write"));
        revoke(t);
        verify(Map.of("token", t.secret(), "permission", "billing.invoices:read"));
        server.flushAudit();

        JsonNode items = TestServer.expect(server.get("/v1/audit?token_id=" + t.id() + "&action=verify",
                server.adminToken()), 200).get("items");
        assertThat(items).hasSize(3);
        // Newest first.
        assertVerifyEvent(items.get(2), t, "billing.invoices:read", "VALID", "allow");
        assertVerifyEvent(items.get(1), t, "billing.invoices:write", "FORBIDDEN", "deny");
        assertVerifyEvent(items.get(0), t, "billing.invoices:read", "REVOKED", "deny");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void assertVerifyEvent(JsonNode e, Minted t, String permission, String code, String decision) {
        assertThat(e.get("action").asText()).isEqualTo("verify");
        assertThat(e.get("actor_token_id").asText()).isEqualTo(t.id());
        assertThat(e.get("actor_principal").asText()).isEqualTo(t.principal());
        assertThat(e.get("target").asText()).isEqualTo(t.id());
        assertThat(e.get("permission").asText()).isEqualTo(permission);
        assertThat(e.get("code").asText()).isEqualTo(code);
        assertThat(e.get("decision").asText()).isEqualTo(decision);
        assertThat(e.get("client_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(e.get("user_agent").asText()).startsWith("Java-http-client");
        assertThat(e.toString()).doesNotContain(t.secret());
    }

    private static void assertDisclosesNothing(JsonNode r) {
        List<String> fields = r.propertyStream().map(Map.Entry::getKey).toList();
        assertThat(fields).as("fields of %s", r).containsExactlyInAnyOrderElementsOf(UNDISCLOSING_FIELDS);
    }

    private static void assertBadRequest(TestServer.Response r, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    private static JsonNode verify(Map<String, String> body) {
        return TestServer.expect(server.post("/v1/verify", null, body), 200);
    }

    private static String code(String secret, String permission) {
        Map<String, String> body = new HashMap<>();
        body.put("token", secret);
        if (permission != null) {
            body.put("permission", permission);
        }
        return verify(body).get("code").asText();
    }

    private static Instant now() {
        return server.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Minted mint(String base, List<String> roles, Map<String, Object> extra) {
        String principal = server.newPrincipal(base);
        JsonNode created = server.mint(principal, roles, extra);
        return new Minted(created.get("token").asText(), created.get("id").asText(), principal);
    }

    private static void revoke(Minted t) {
        TestServer.expect(server.post("/v1/tokens/" + t.id() + "/revoke", server.adminToken(), Map.of()), 200);
    }

    private static JsonNode token(Minted t) {
        return TestServer.expect(server.get("/v1/tokens/" + t.id(), server.adminToken()), 200);
    }
}
