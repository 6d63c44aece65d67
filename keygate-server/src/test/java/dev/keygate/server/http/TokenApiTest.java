package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.MutableClock;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/tokens}: minting (fields, defaults, lifetimes, validation), reading and filtering, revocation and
 * its idempotence, and the rule that the secret appears in the creation response and nowhere else.
 */
class TokenApiTest extends EndToEndTest {

    private static final String BASE62_ID = "tok_[0-9A-Za-z]{20}";

    // ---- minting -------------------------------------------------------------------------------------------

    @Test
    void createWhenOnlyPrincipalAndRolesGivenThenReturns201WithSecretAndDefaults() {
        String principal = server.newPrincipal("mint-defaults");
        String role = server.newRole("mint-defaults", "orders.items:read");
        Instant now = now();

        TestServer.Response r = server.post("/v1/tokens", admin(),
                Map.of("principal", principal, "roles", List.of(role), "name", "nightly export"));

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        JsonNode t = r.json();
        assertThat(t.get("id").asText()).matches(BASE62_ID);
        assertThat(t.get("token").asText()).matches("kg_live_[0-9A-Za-z]{36}");
        assertThat(t.get("principal").asText()).isEqualTo(principal);
        assertThat(t.get("roles")).extracting(JsonNode::asText).containsExactly(role);
        assertThat(t.get("environment").asText()).isEqualTo("live");
        assertThat(t.get("name").asText()).isEqualTo("nightly export");
        assertThat(t.get("status").asText()).isEqualTo("active");
        assertThat(instant(t, "created_at")).isEqualTo(now);
        assertThat(t.get("created_by").asText()).isEqualTo(adminTokenId());
        assertThat(instant(t, "expires_at")).isEqualTo(now.plus(Duration.ofHours(24)));
        assertThat(t.has("revoked_at")).isFalse();
        assertThat(t.has("last_used_at")).isFalse();
        assertThat(server.verify(t.get("token").asText(), "orders.items:read").get("code").asText())
                .isEqualTo("VALID");
    }

    @Test
    void createWhenEnvironmentGivenThenSecretAndTokenCarryIt() {
        String principal = server.newPrincipal("mint-staging");
        String role = server.newRole("mint-staging", "orders.items:read");

        JsonNode t = server.mint(principal, List.of(role), Map.of("environment", "staging"));

        assertThat(t.get("token").asText()).matches("kg_staging_[0-9A-Za-z]{36}");
        assertThat(t.get("environment").asText()).isEqualTo("staging");
    }

    @Test
    void createWhenTtlGivenThenExpiresAtIsCreationPlusTtl() {
        String principal = server.newPrincipal("mint-ttl");
        String role = server.newRole("mint-ttl", "orders.items:read");
        Instant now = now();

        JsonNode halfHour = server.mint(principal, List.of(role), Map.of("ttl", "30m"));
        JsonNode week = server.mint(principal, List.of(role), Map.of("ttl", "7d"));
        JsonNode max = server.mint(principal, List.of(role), Map.of("ttl", "90d"));

        assertThat(instant(halfHour, "expires_at")).isEqualTo(now.plus(Duration.ofMinutes(30)));
        assertThat(instant(week, "expires_at")).isEqualTo(now.plus(Duration.ofDays(7)));
        assertThat(instant(max, "expires_at")).as("exactly the maximum is allowed")
                .isEqualTo(now.plus(Duration.ofDays(90)));
        JsonNode stored = TestServer.expect(server.get("/v1/tokens/" + week.get("id").asText(), admin()), 200);
        assertThat(instant(stored, "expires_at")).isEqualTo(now.plus(Duration.ofDays(7)));
    }

    @Test
    void createWhenExpiresAtGivenWithOffsetThenItIsHonoredAsThatInstant() {
        String principal = server.newPrincipal("mint-expires-at");
        String role = server.newRole("mint-expires-at", "orders.items:read");
        Instant wanted = now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);

        JsonNode t = server.mint(principal, List.of(role),
                Map.of("expires_at", wanted.atOffset(ZoneOffset.ofHours(2)).toString()));

        assertThat(instant(t, "expires_at")).isEqualTo(wanted);
        assertThat(t.get("expires_at").asText()).endsWith("Z");
    }

    /**
     * Regression: the creation response carried the clock's (and a requested expires_at's) sub-millisecond
     * digits, which the store drops, so it disagreed with every later read of the same token.
     */
    @Test
    void createWhenTimesHaveSubMillisecondDigitsThenCreationResponseEqualsLaterReads() {
        Instant start = Instant.ofEpochMilli(System.currentTimeMillis()).plusNanos(123_456);
        try (TestServer fine = TestServer.start(store, b -> b.clock(new MutableClock(start)))) {
            fine.createPrincipal("fine-clock", "service");
            fine.createRole("fine-clock", "orders.items:read");
            String expiresAt = start.plus(Duration.ofHours(2)).plusNanos(654_321).toString();

            JsonNode byDefault = fine.mint("fine-clock", List.of("fine-clock"), Map.of());
            JsonNode byDate = fine.mint("fine-clock", List.of("fine-clock"), Map.of("expires_at", expiresAt));

            for (JsonNode created : List.of(byDefault, byDate)) {
                JsonNode read = TestServer.expect(
                        fine.get("/v1/tokens/" + created.get("id").asText(), fine.adminToken()), 200);
                assertThat(created.get("created_at").asText()).isEqualTo(read.get("created_at").asText());
                assertThat(created.get("expires_at").asText()).isEqualTo(read.get("expires_at").asText());
                assertThat(read.get("status").asText()).isEqualTo("active");
            }
            assertThat(instant(byDefault, "created_at")).isEqualTo(start.truncatedTo(ChronoUnit.MILLIS));
        }
    }

    @Test
    void createWhenTtlExceedsServerMaximumThenReturns400NamingTtlAndTheCap() {
        String principal = server.newPrincipal("mint-too-long");
        String role = server.newRole("mint-too-long", "orders.items:read");

        TestServer.Response byTtl = server.post("/v1/tokens", admin(),
                Map.of("principal", principal, "roles", List.of(role), "ttl", "91d"));
        TestServer.Response byDate = server.post("/v1/tokens", admin(), Map.of("principal", principal,
                "roles", List.of(role), "expires_at", now().plus(Duration.ofDays(91)).toString()));

        assertValidationError(byTtl, "ttl");
        assertThat(byTtl.json().get("errors").get(0).get("message").asText()).contains("90d");
        assertThat(byTtl.json().get("detail").asText()).contains("ttl").contains("90d");
        assertValidationError(byDate, "expires_at");
        assertThat(byDate.json().get("errors").get(0).get("message").asText()).contains("90d");
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    @Test
    void createWhenLifetimeExceedsARolesMaxTtlThenReturns400NamingTheCapAndTheRole() {
        String principal = server.newPrincipal("capped");
        String loose = server.newRole("capped-loose", "orders.items:read");
        String strict = unique("capped-strict");
        TestServer.expect(server.post("/v1/roles", admin(), Map.of("name", strict,
                "permissions", List.of("orders.items:list"), "max_ttl", "1h")), 201);

        TestServer.Response byTtl = server.post("/v1/tokens", admin(),
                Map.of("principal", principal, "roles", List.of(loose, strict), "ttl", "2h"));
        TestServer.Response byDate = server.post("/v1/tokens", admin(), Map.of("principal", principal,
                "roles", List.of(strict), "expires_at", now().plus(Duration.ofMinutes(61)).toString()));
        JsonNode atTheCap = server.mint(principal, List.of(loose, strict), Map.of("ttl", "60m"));
        JsonNode byDefault = server.mint(principal, List.of(strict, loose), Map.of());
        JsonNode uncapped = server.mint(principal, List.of(loose), Map.of());

        assertValidationError(byTtl, "ttl");
        assertThat(byTtl.json().get("errors").get(0).get("message").asText())
                .contains("1h").contains("'" + strict + "'").contains("max_ttl");
        assertValidationError(byDate, "expires_at");
        assertThat(instant(atTheCap, "expires_at")).isEqualTo(now().plus(Duration.ofHours(1)));
        assertThat(instant(byDefault, "expires_at")).as("the 24h default is shortened to the cap")
                .isEqualTo(now().plus(Duration.ofHours(1)));
        assertThat(instant(uncapped, "expires_at")).isEqualTo(now().plus(Duration.ofHours(24)));
        assertThat(server.tokensOf(principal)).hasSize(3);
    }

    @Test
    void createWhenBothTtlAndExpiresAtGivenThenReturns400() {
        String principal = server.newPrincipal("mint-both");
        String role = server.newRole("mint-both", "orders.items:read");

        TestServer.Response r = server.post("/v1/tokens", admin(), Map.of("principal", principal,
                "roles", List.of(role), "ttl", "1h", "expires_at", now().plus(Duration.ofHours(1)).toString()));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains("not both");
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    @Test
    void createWhenExpiresAtNotInTheFutureThenReturns400() {
        String principal = server.newPrincipal("mint-past");
        String role = server.newRole("mint-past", "orders.items:read");

        TestServer.Response past = server.post("/v1/tokens", admin(), Map.of("principal", principal,
                "roles", List.of(role), "expires_at", now().minus(Duration.ofMinutes(1)).toString()));
        TestServer.Response present = server.post("/v1/tokens", admin(), Map.of("principal", principal,
                "roles", List.of(role), "expires_at", now().toString()));

        assertValidationError(past, "expires_at");
        assertValidationError(present, "expires_at");
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    @Test
    void createWhenTtlMalformedThenReturns400NamingTtl() {
        String principal = server.newPrincipal("mint-bad-ttl");
        String role = server.newRole("mint-bad-ttl", "orders.items:read");

        for (String ttl : List.of("1w", "0h", "-1h", "24", "1.5h", "")) {
            TestServer.Response r = server.post("/v1/tokens", admin(),
                    Map.of("principal", principal, "roles", List.of(role), "ttl", ttl));
            assertThat(r.status()).as("ttl '%s'", ttl).isEqualTo(400);
            assertThat(r.json().get("errors").get(0).get("field").asText()).as("ttl '%s'", ttl).isEqualTo("ttl");
        }
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    @Test
    void createWhenPrincipalUnknownThenReturns400NamingPrincipal() {
        String role = server.newRole("mint-no-principal", "orders.items:read");

        TestServer.Response r = server.post("/v1/tokens", admin(),
                Map.of("principal", TestServer.unique("nobody"), "roles", List.of(role)));

        assertValidationError(r, "principal");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains("does not exist");
    }

    @Test
    void createWhenRoleUnknownThenReturns400NamingItsIndexInTheRequest() {
        String principal = server.newPrincipal("mint-no-role");
        String role = server.newRole("mint-no-role", "orders.items:read");
        String missing = TestServer.unique("no-such-role");

        TestServer.Response r = server.post("/v1/tokens", admin(),
                Map.of("principal", principal, "roles", List.of(role, missing)));

        assertValidationError(r, "roles[1]");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains(missing);
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    /** Regression: duplicates were removed before the check, so the error named the wrong index. */
    @Test
    void createWhenRoleUnknownAfterDuplicateThenFieldIndexIsThePositionInTheRequest() {
        String principal = server.newPrincipal("mint-dup-role");
        String role = server.newRole("mint-dup-role", "orders.items:read");
        String missing = TestServer.unique("no-such-role");

        TestServer.Response r = server.post("/v1/tokens", admin(),
                Map.of("principal", principal, "roles", List.of(role, role, missing)));

        assertValidationError(r, "roles[2]");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains(missing);
    }

    @Test
    void createWhenRolesEmptyThenReturns400() {
        String principal = server.newPrincipal("mint-empty-roles");

        TestServer.Response r = server.post("/v1/tokens", admin(), Map.of("principal", principal, "roles", List.of()));

        assertValidationError(r, "roles");
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    @Test
    void createWhenEnvironmentInvalidThenReturns400() {
        String principal = server.newPrincipal("mint-bad-env");
        String role = server.newRole("mint-bad-env", "orders.items:read");

        for (String environment : List.of("Live!", "LIVE", "", "seventeen-chars-x")) {
            TestServer.Response r = server.post("/v1/tokens", admin(),
                    Map.of("principal", principal, "roles", List.of(role), "environment", environment));
            assertThat(r.status()).as("environment '%s'", environment).isEqualTo(400);
            assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("environment");
        }
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    @Test
    void createWhenUnknownFieldThenReturns400NamingIt() {
        String principal = server.newPrincipal("mint-unknown-field");
        String role = server.newRole("mint-unknown-field", "orders.items:read");

        TestServer.Response r = server.post("/v1/tokens", admin(),
                Map.of("principal", principal, "roles", List.of(role), "permissions", List.of("*:*")));

        assertValidationError(r, "permissions");
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    // ---- the secret ----------------------------------------------------------------------------------------

    @Test
    void responsesWhenNotTheCreationThenNeverContainTheSecret() {
        String principal = server.newPrincipal("secret-once");
        String role = server.newRole("secret-once", "orders.items:read");
        JsonNode created = server.mint(principal, List.of(role), Map.of());
        String id = created.get("id").asText();
        String secret = created.get("token").asText();
        server.verify(secret, "orders.items:read");

        List<TestServer.Response> others = List.of(
                server.get("/v1/tokens/" + id, admin()),
                server.get("/v1/tokens?principal=" + principal, admin()),
                server.get("/v1/tokens", admin()),
                server.post("/v1/tokens/" + id + "/revoke", admin(), Map.of("reason", "rotation")),
                server.post("/v1/tokens/" + id + "/revoke", admin(), Map.of()),
                auditOf(id, null));

        for (TestServer.Response r : others) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).contains(id).doesNotContain(secret)
                    .doesNotContain(secret.substring(secret.length() - 30));
            assertThat(r.json().findValues("token")).isEmpty();
        }
    }

    // ---- reading -------------------------------------------------------------------------------------------

    @Test
    void listWhenFilteredByPrincipalThenOnlyItsTokensNewestFirst() {
        String principal = server.newPrincipal("list-mine");
        String other = server.newPrincipal("list-other");
        String role = server.newRole("list-mine", "orders.items:read");
        String first = server.mint(principal, List.of(role), Map.of()).get("id").asText();
        server.clock().advance(Duration.ofSeconds(1));
        String second = server.mint(principal, List.of(role), Map.of()).get("id").asText();
        server.mint(other, List.of(role), Map.of());

        List<JsonNode> items = server.tokensOf(principal);

        assertThat(items).extracting(t -> t.get("id").asText()).containsExactly(second, first);
        assertThat(items).allSatisfy(t -> assertThat(t.get("principal").asText()).isEqualTo(principal));
    }

    @Test
    void listWhenFilteredByStatusThenActiveExpiredAndRevokedAreSeparated() {
        String principal = server.newPrincipal("list-status");
        String role = server.newRole("list-status", "orders.items:read");
        String active = server.mint(principal, List.of(role), Map.of("ttl", "24h")).get("id").asText();
        String expiring = server.mint(principal, List.of(role), Map.of("ttl", "1h")).get("id").asText();
        String revoked = server.mint(principal, List.of(role), Map.of("ttl", "1h")).get("id").asText();
        TestServer.expect(server.post("/v1/tokens/" + revoked + "/revoke", admin(), Map.of()), 200);

        assertThat(ids(principal, "active")).containsExactlyInAnyOrder(active, expiring);
        assertThat(ids(principal, "expired")).isEmpty();

        server.clock().advance(Duration.ofHours(1));

        assertThat(ids(principal, "active")).containsExactly(active);
        assertThat(ids(principal, "expired")).as("expired at exactly expires_at").containsExactly(expiring);
        assertThat(ids(principal, "revoked")).as("revoked wins over expired").containsExactly(revoked);
        JsonNode got = TestServer.expect(server.get("/v1/tokens/" + expiring, admin()), 200);
        assertThat(got.get("status").asText()).isEqualTo("expired");
    }

    @Test
    void listWhenExpiringWithinThenOnlyActiveTokensExpiringByThenSoonestFirst() {
        String principal = server.newPrincipal("expiring");
        String role = server.newRole("expiring", "orders.items:read");
        String expired = server.mint(principal, List.of(role), Map.of("ttl", "1m")).get("id").asText();
        server.clock().advance(Duration.ofMinutes(1));
        String inSixDays = server.mint(principal, List.of(role), Map.of("ttl", "6d")).get("id").asText();
        String inTwoHours = server.mint(principal, List.of(role), Map.of("ttl", "2h")).get("id").asText();
        String atTheBoundary = server.mint(principal, List.of(role), Map.of("ttl", "7d")).get("id").asText();
        String later = server.mint(principal, List.of(role), Map.of("ttl", "8d")).get("id").asText();
        String revoked = server.mint(principal, List.of(role), Map.of("ttl", "1h")).get("id").asText();
        TestServer.expect(server.post("/v1/tokens/" + revoked + "/revoke", admin(), Map.of()), 200);

        List<String> due = expiring(principal, "7d", null);

        assertThat(due).as("soonest first; a token expiring exactly at now + 7d is included")
                .containsExactly(inTwoHours, inSixDays, atTheBoundary);
        assertThat(due).doesNotContain(later, revoked, expired);
        assertThat(expiring(principal, "3h", "active")).containsExactly(inTwoHours);
        server.clock().advance(Duration.ofHours(2));
        assertThat(expiring(principal, "3h", null)).as("the 2h token has expired since").isEmpty();
    }

    @Test
    void listWhenExpiringWithinMalformedOrWithAnotherStatusThenReturns400NamingIt() {
        TestServer.Response malformed = server.get("/v1/tokens?expiring_within=1w", admin());
        TestServer.Response withRevoked = server.get("/v1/tokens?expiring_within=7d&status=revoked", admin());

        assertValidationError(malformed, "expiring_within");
        assertThat(malformed.json().get("errors").get(0).get("message").asText()).contains("7d");
        assertValidationError(withRevoked, "expiring_within");
        assertThat(withRevoked.json().get("errors").get(0).get("message").asText()).contains("active");
    }

    @Test
    void listWhenStatusUnknownThenReturns400() {
        TestServer.Response r = server.get("/v1/tokens?status=live", admin());

        assertValidationError(r, "status");
    }

    @Test
    void listWhenLimitNotANumberAndStatusUnknownThenOne400ListsBoth() {
        // A limit that was not a number used to be reported alone, hiding the bad status.
        TestServer.Response notANumber = server.get("/v1/tokens?status=live&limit=ten", admin());
        TestServer.Response outOfRange = server.get("/v1/tokens?limit=1001", admin());

        assertValidationError(notANumber, "status");
        assertThat(notANumber.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("status", "limit");
        assertValidationError(outOfRange, "limit");
        assertThat(outOfRange.json().get("errors").get(0).get("message").asText()).contains("between 1 and 1000");
    }

    @Test
    void getWhenTheTokenWasVerifiedThenLastUsedIpIsTheAddressOfItsLastVerificationAndTheListShowsItToo() {
        String principal = server.newPrincipal("last-ip");
        JsonNode minted = server.mint(principal, List.of(server.newRole("last-ip", "orders.items:read")), Map.of());
        String id = minted.get("id").asText();
        String secret = minted.get("token").asText();
        assertThat(TestServer.expect(server.get("/v1/tokens/" + id, admin()), 200).has("last_used_ip")).isFalse();

        TestServer.expect(server.post("/v1/verify", null, Map.of("token", secret, "permission", "orders.items:read",
                "context", Map.of("ip", "2001:DB8:0:0::7"))), 200);
        server.flushAudit();

        JsonNode used = TestServer.expect(server.get("/v1/tokens/" + id, admin()), 200);
        assertThat(used.get("last_used_ip").asText()).as("the stated address, in canonical form")
                .isEqualTo("2001:db8::7");
        assertThat(instant(used, "last_used_at")).isEqualTo(now());
        assertThat(server.tokensOf(principal)).singleElement()
                .satisfies(t -> assertThat(t.get("last_used_ip").asText()).isEqualTo("2001:db8::7"));

        server.clock().advance(Duration.ofSeconds(1));
        server.verify(secret, "orders.items:read");
        server.flushAudit();

        assertThat(TestServer.expect(server.get("/v1/tokens/" + id, admin()), 200).get("last_used_ip").asText())
                .as("no address stated: the verifying client's").isEqualTo("127.0.0.1");
    }

    @Test
    void getWhenIdUnknownThenReturns404() {
        TestServer.Response r = server.get("/v1/tokens/tok_00000000000000000000", admin());

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("not_found");
    }

    // ---- revoking ------------------------------------------------------------------------------------------

    @Test
    void revokeWhenActiveThenReturnsRevokedTokenWithWhenWhoAndWhy() {
        String principal = server.newPrincipal("revoke-once");
        String role = server.newRole("revoke-once", "orders.items:read");
        JsonNode created = server.mint(principal, List.of(role), Map.of());
        String id = created.get("id").asText();
        server.clock().advance(Duration.ofMinutes(5));
        Instant now = now();

        TestServer.Response r = server.post("/v1/tokens/" + id + "/revoke", admin(), Map.of("reason", "leaked"));

        assertThat(r.status()).isEqualTo(200);
        JsonNode t = r.json();
        assertThat(t.get("id").asText()).isEqualTo(id);
        assertThat(t.get("status").asText()).isEqualTo("revoked");
        assertThat(instant(t, "revoked_at")).isEqualTo(now);
        assertThat(t.get("revoked_by").asText()).isEqualTo(adminTokenId());
        assertThat(t.get("revoke_reason").asText()).isEqualTo("leaked");
        JsonNode stored = TestServer.expect(server.get("/v1/tokens/" + id, admin()), 200);
        assertThat(stored.get("status").asText()).isEqualTo("revoked");
        assertThat(instant(stored, "revoked_at")).isEqualTo(now);
        assertThat(server.verify(created.get("token").asText(), null).get("code").asText()).isEqualTo("REVOKED");
    }

    @Test
    void revokeWhenAlreadyRevokedThenNothingChangesAndOnlyOneEventIsWritten() {
        String principal = server.newPrincipal("revoke-twice");
        String role = server.newRole("revoke-twice", "orders.items:read");
        String id = server.mint(principal, List.of(role), Map.of()).get("id").asText();
        JsonNode first = TestServer.expect(
                server.post("/v1/tokens/" + id + "/revoke", admin(), Map.of("reason", "first")), 200);
        server.clock().advance(Duration.ofMinutes(1));

        TestServer.Response again = server.post("/v1/tokens/" + id + "/revoke", admin(), Map.of("reason", "second"));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("revoked");
        assertThat(instant(again.json(), "revoked_at")).isEqualTo(instant(first, "revoked_at"));
        assertThat(again.json().get("revoke_reason").asText()).isEqualTo("first");
        JsonNode events = TestServer.expect(auditOf(id, "token.revoke"), 200).get("items");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("target").asText()).isEqualTo(id);
        assertThat(events.get(0).get("actor_token_id").asText()).isEqualTo(adminTokenId());
        assertThat(events.get(0).get("detail").asText()).contains("first");
    }

    @Test
    void revokeWhenIdUnknownThenReturns404() {
        TestServer.Response r = server.post("/v1/tokens/tok_00000000000000000000/revoke", admin(), Map.of());

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void revokeWhenBodyEmptyWithoutContentTypeThenRevokesWithoutReason() {
        String principal = server.newPrincipal("revoke-no-body");
        String role = server.newRole("revoke-no-body", "orders.items:read");
        String id = server.mint(principal, List.of(role), Map.of()).get("id").asText();

        TestServer.Response r = server.send("POST", "/v1/tokens/" + id + "/revoke", admin(), null, null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("revoked");
        assertThat(r.json().has("revoke_reason")).isFalse();
    }

    @Test
    void verifyWhenClockPassesTtlThenExpiredAndListedAsExpired() {
        String principal = server.newPrincipal("ttl-expiry");
        String role = server.newRole("ttl-expiry", "orders.items:read");
        JsonNode created = server.mint(principal, List.of(role), Map.of("ttl", "90s"));
        String secret = created.get("token").asText();
        String id = created.get("id").asText();
        assertThat(server.verify(secret, "orders.items:read").get("code").asText()).isEqualTo("VALID");

        server.clock().advance(Duration.ofSeconds(91));

        assertThat(server.verify(secret, "orders.items:read").get("code").asText()).isEqualTo("EXPIRED");
        JsonNode got = TestServer.expect(server.get("/v1/tokens/" + id, admin()), 200);
        assertThat(got.get("status").asText()).isEqualTo("expired");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String admin() {
        return server.adminToken();
    }

    private static String adminTokenId() {
        return server.verify(server.adminToken(), null).get("token_id").asText();
    }

    private static Instant now() {
        return server.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant instant(JsonNode node, String field) {
        assertThat(node.hasNonNull(field)).as("%s is present", field).isTrue();
        return Instant.parse(node.get(field).asText());
    }

    private static String unique(String base) {
        return TestServer.unique(base);
    }

    private static List<String> expiring(String principal, String within, String status) {
        JsonNode items = TestServer.expect(server.get("/v1/tokens?principal=" + principal + "&expiring_within=" + within
                + (status == null ? "" : "&status=" + status), admin()), 200).get("items");
        return items.valueStream().map(t -> t.get("id").asText()).toList();
    }

    private static List<String> ids(String principal, String status) {
        JsonNode items = TestServer.expect(
                server.get("/v1/tokens?principal=" + principal + "&status=" + status, admin()), 200).get("items");
        return items.valueStream().map(t -> t.get("id").asText()).toList();
    }

    private static TestServer.Response auditOf(String tokenId, String action) {
        server.flushAudit();
        return server.get("/v1/audit?token_id=" + tokenId + (action == null ? "" : "&action=" + action), admin());
    }

    private static void assertValidationError(TestServer.Response r, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).contains(field);
    }
}
