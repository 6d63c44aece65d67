package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage limits ({@code max_uses}, {@code cost}, {@code remaining}), rate limits ({@code rate_limit},
 * {@code retry_after}), network binding ({@code allowed_cidrs}, {@code context.ip}), and the documented order of
 * the checks in verify, in which a refused verification spends no use.
 */
class TokenLimitsApiTest extends EndToEndTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // ---- max_uses and cost ---------------------------------------------------------------------------------

    @Test
    void verifyWhenMaxUsesThenRemainingCountsDownToUsageExceeded() {
        JsonNode t = mint("lim-uses", Map.of("max_uses", 3), "orders.items:read");
        assertThat(t.get("max_uses").asLong()).isEqualTo(3);
        assertThat(t.get("remaining").asLong()).isEqualTo(3);

        List<String> codes = new ArrayList<>();
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonNode r = verify(t, "orders.items:read", null, null);
            codes.add(r.get("code").asText());
            remaining.add(r.get("remaining").asLong());
        }

        assertThat(codes).containsExactly("VALID", "VALID", "VALID", "USAGE_EXCEEDED");
        assertThat(remaining).containsExactly(2L, 1L, 0L, 0L);
        assertThat(get(t).get("remaining").asLong()).isZero();
    }

    @Test
    void verifyWhenCostGivenThenSpendsThatManyAndNeverPartially() {
        JsonNode t = mint("lim-cost", Map.of("max_uses", 5), "orders.items:read");

        JsonNode three = verify(t, "orders.items:read", 3L, null);
        JsonNode tooMuch = verify(t, "orders.items:read", 3L, null);
        JsonNode check = verify(t, "orders.items:read", 0L, null);
        JsonNode two = verify(t, "orders.items:read", 2L, null);
        JsonNode checkAtZero = verify(t, "orders.items:read", 0L, null);

        assertThat(three.get("remaining").asLong()).isEqualTo(2);
        assertThat(tooMuch.get("code").asText()).isEqualTo("USAGE_EXCEEDED");
        assertThat(tooMuch.get("remaining").asLong()).as("nothing spent").isEqualTo(2);
        assertThat(check.get("code").asText()).isEqualTo("VALID");
        assertThat(check.get("remaining").asLong()).as("cost 0 checks without spending").isEqualTo(2);
        assertThat(two.get("remaining").asLong()).isZero();
        assertThat(checkAtZero.get("code").asText()).isEqualTo("USAGE_EXCEEDED");
    }

    @Test
    void verifyWhenRefusedForPermissionEnvironmentOrAddressThenNoUseIsSpent() {
        JsonNode t = mint("lim-refused", Map.of("max_uses", 2, "allowed_cidrs", List.of("10.0.0.0/8")),
                "orders.items:read");

        assertThat(verify(t, "orders.items:write", null, "10.0.0.1").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(verifyIn(t, "staging", "10.0.0.1").get("code").asText()).isEqualTo("ENVIRONMENT_MISMATCH");
        assertThat(verify(t, "orders.items:read", null, "192.0.2.1").get("code").asText())
                .isEqualTo("IP_NOT_ALLOWED");

        assertThat(get(t).get("remaining").asLong()).isEqualTo(2);
        assertThat(verify(t, "orders.items:read", null, "10.0.0.1").get("remaining").asLong()).isEqualTo(1);
    }

    /** Many verifiers race for the last uses: never more than max_uses get through, and exactly that many do. */
    @RepeatedTest(3)
    void verifyWhenManyConcurrentVerifiersThenExactlyMaxUsesAllowed() throws Exception {
        int maxUses = 40;
        JsonNode t = mint("lim-race", Map.of("max_uses", maxUses), "orders.items:read");
        int perThread = 15;

        List<Integer> allowed = Race.times(8, () -> {
            int valid = 0;
            for (int n = 0; n < perThread; n++) {
                String code = verify(t, "orders.items:read", null, null).get("code").asText();
                if (code.equals("VALID")) {
                    valid++;
                } else {
                    assertThat(code).isEqualTo("USAGE_EXCEEDED");
                }
            }
            return valid;
        });

        assertThat(allowed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(maxUses);
        assertThat(get(t).get("remaining").asLong()).isZero();
    }

    @Test
    void createWhenMaxUsesOrCostInvalidThen400() {
        String principal = server.newPrincipal("lim-bad");
        String role = server.newRole("lim-bad", "orders.items:read");
        for (Object bad : List.of(0, -1, 1_000_000_000_001L)) {
            RotationApiTest.assertValidationError(server.post("/v1/tokens", server.adminToken(),
                    Map.of("principal", principal, "roles", List.of(role), "max_uses", bad)), "max_uses");
        }
        assertThat(server.post("/v1/tokens", server.adminToken(),
                Map.of("principal", principal, "roles", List.of(role), "max_uses", "3")).status()).isEqualTo(400);
        JsonNode t = server.mint(principal, List.of(role), Map.of());
        RotationApiTest.assertValidationError(server.post("/v1/verify", null,
                Map.of("token", t.get("token").asText(), "cost", -1)), "cost");
        assertThat(server.tokensOf(principal)).hasSize(1);
    }

    @Test
    void verifyWhenTokenUnlimitedThenNoRemainingOrRateState() {
        JsonNode t = mint("lim-none", Map.of(), "orders.items:read");

        JsonNode r = verify(t, "orders.items:read", 5L, null);

        assertThat(r.get("code").asText()).isEqualTo("VALID");
        assertThat(r.has("remaining")).isFalse();
        assertThat(r.has("rate_limit")).isFalse();
        assertThat(get(t).has("max_uses")).isFalse();
    }

    // ---- rate_limit ----------------------------------------------------------------------------------------

    @Test
    void verifyWhenOverRateLimitThenRateLimitedWithRetryAfterUntilTheWindowRefills() {
        JsonNode t = mint("lim-rate", Map.of("rate_limit", Map.of("limit", 3, "window", "1m")), "orders.items:read");
        assertThat(t.get("rate_limit").get("limit").asLong()).isEqualTo(3);
        assertThat(t.get("rate_limit").get("window").asText()).isEqualTo("1m");

        List<Long> left = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode r = verify(t, "orders.items:read", null, null);
            assertThat(r.get("code").asText()).isEqualTo("VALID");
            left.add(r.get("rate_limit").get("remaining").asLong());
        }
        JsonNode limited = verify(t, "orders.items:read", null, null);

        assertThat(left).containsExactly(2L, 1L, 0L);
        assertThat(limited.get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(limited.get("valid").asBoolean()).isFalse();
        assertThat(limited.get("retry_after").asLong()).as("3 per minute refill one every 20 s").isEqualTo(20);
        assertThat(limited.has("token_id")).isFalse();
        server.clock().advance(Duration.ofSeconds(20));
        assertThat(verify(t, "orders.items:read", null, null).get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void verifyWhenRateLimitedThenNoUseIsSpent() {
        JsonNode t = mint("lim-rate-uses", Map.of("max_uses", 10, "rate_limit", Map.of("limit", 2, "window", "1h")),
                "orders.items:read");

        verify(t, "orders.items:read", null, null);
        verify(t, "orders.items:read", null, null);
        JsonNode limited = verify(t, "orders.items:read", null, null);

        assertThat(limited.get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(limited.get("remaining").asLong()).isEqualTo(8);
        assertThat(get(t).get("remaining").asLong()).isEqualTo(8);
    }

    @Test
    void verifyWhenUsesSpentAndRateExhaustedThenUsageExceededComesFirst() {
        JsonNode t = mint("lim-order", Map.of("max_uses", 1, "rate_limit", Map.of("limit", 1, "window", "1h")),
                "orders.items:read");

        assertThat(verify(t, "orders.items:read", null, null).get("code").asText()).isEqualTo("VALID");
        assertThat(verify(t, "orders.items:read", null, null).get("code").asText()).isEqualTo("USAGE_EXCEEDED");
    }

    @Test
    void verifyWhenRateExhaustedAndPermissionMissingThenRateLimitedComesFirst() {
        JsonNode t = mint("lim-order2", Map.of("rate_limit", Map.of("limit", 1, "window", "1h")),
                "orders.items:read");

        verify(t, "orders.items:read", null, null);

        assertThat(verify(t, "orders.items:write", null, null).get("code").asText()).isEqualTo("RATE_LIMITED");
    }

    @Test
    void createWhenRateLimitInvalidThen400NamingIt() {
        String principal = server.newPrincipal("lim-rate-bad");
        String role = server.newRole("lim-rate-bad", "orders.items:read");

        List<Map<String, Object>> bad = List.of(Map.of("limit", 0, "window", "1m"), Map.of("limit", 5, "window", "2d"),
                Map.of("limit", 5, "window", "soon"));
        for (Map<String, Object> rate : bad) {
            RotationApiTest.assertValidationError(server.post("/v1/tokens", server.adminToken(),
                    Map.of("principal", principal, "roles", List.of(role), "rate_limit", rate)), "rate_limit");
        }
        RotationApiTest.assertValidationError(server.post("/v1/tokens", server.adminToken(),
                Map.of("principal", principal, "roles", List.of(role), "rate_limit", Map.of("limit", 5))),
                "rate_limit.window");
        assertThat(server.post("/v1/tokens", server.adminToken(), Map.of("principal", principal, "roles",
                List.of(role), "rate_limit", Map.of("limit", 5, "window", "1m", "burst", 9))).status()).isEqualTo(400);
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    // ---- allowed_cidrs ---------------------------------------------------------------------------------------

    @Test
    void verifyWhenBoundToNetworksThenOnlyAddressesInsideThemPass() {
        JsonNode t = mint("lim-cidr", Map.of("allowed_cidrs", List.of("10.0.0.0/8", "2001:DB8::/32", "192.0.2.7")),
                "orders.items:read");
        assertThat(t.get("allowed_cidrs")).extracting(JsonNode::asText)
                .containsExactly("10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32");

        assertThat(code(t, "10.255.0.1")).isEqualTo("VALID");
        assertThat(code(t, "2001:db8:1::9")).isEqualTo("VALID");
        assertThat(code(t, "192.0.2.7")).isEqualTo("VALID");
        assertThat(code(t, "::ffff:10.1.1.1")).as("IPv4-mapped IPv6").isEqualTo("VALID");
        assertThat(code(t, "11.0.0.1")).isEqualTo("IP_NOT_ALLOWED");
        assertThat(code(t, "192.0.2.8")).isEqualTo("IP_NOT_ALLOWED");
        assertThat(code(t, "2001:db9::1")).isEqualTo("IP_NOT_ALLOWED");
        assertThat(code(t, null)).as("no address given: fail closed").isEqualTo("IP_NOT_ALLOWED");
    }

    @Test
    void verifyWhenContextIpMalformedThen400NamingIt() {
        JsonNode t = mint("lim-ip-bad", Map.of(), "orders.items:read");

        for (String bad : List.of("localhost", "10.0.0.256", "10.0.0.1/8", "")) {
            TestServer.Response r = server.post("/v1/verify", null,
                    Map.of("token", t.get("token").asText(), "context", Map.of("ip", bad)));
            RotationApiTest.assertValidationError(r, "context.ip");
        }
        assertThat(server.post("/v1/verify", null, Map.of("token", t.get("token").asText(),
                "context", Map.of("ip", "10.0.0.1", "country", "x"))).status()).isEqualTo(400);
    }

    @Test
    void createWhenCidrInvalidThen400NamingTheEntry() {
        String principal = server.newPrincipal("lim-cidr-bad");
        String role = server.newRole("lim-cidr-bad", "orders.items:read");

        TestServer.Response hostBits = server.post("/v1/tokens", server.adminToken(), Map.of("principal", principal,
                "roles", List.of(role), "allowed_cidrs", List.of("10.0.0.0/8", "10.0.0.5/8")));
        TestServer.Response malformed = server.post("/v1/tokens", server.adminToken(), Map.of("principal", principal,
                "roles", List.of(role), "allowed_cidrs", List.of("10.0.0.0/33")));
        TestServer.Response empty = server.post("/v1/tokens", server.adminToken(), Map.of("principal", principal,
                "roles", List.of(role), "allowed_cidrs", List.of()));

        RotationApiTest.assertValidationError(hostBits, "allowed_cidrs[1]");
        assertThat(hostBits.text()).contains("did you mean 10.0.0.0/8");
        RotationApiTest.assertValidationError(malformed, "allowed_cidrs[0]");
        RotationApiTest.assertValidationError(empty, "allowed_cidrs");
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    @Test
    void verifyWhenEnvironmentAndAddressBothWrongThenEnvironmentMismatchComesFirst() {
        JsonNode t = mint("lim-order3", Map.of("allowed_cidrs", List.of("10.0.0.0/8")), "orders.items:read");

        assertThat(verifyIn(t, "staging", "192.0.2.1").get("code").asText()).isEqualTo("ENVIRONMENT_MISMATCH");
    }

    // ---- rotation keeps limits and bindings ----------------------------------------------------------------

    @Test
    void rotateWhenTokenHasLimitsThenSuccessorHasTheSameAndTheUsesLeft() {
        JsonNode t = mint("lim-rotate", Map.of("max_uses", 5, "rate_limit", Map.of("limit", 100, "window", "1m"),
                "allowed_cidrs", List.of("10.0.0.0/8")), "orders.items:read");
        verify(t, "orders.items:read", 4L, "10.0.0.1");

        JsonNode successor = TestServer.expect(server.post("/v1/tokens/" + t.get("id").asText() + "/rotate",
                server.adminToken(), Map.of()), 201);

        assertThat(successor.get("max_uses").asLong()).isEqualTo(5);
        assertThat(successor.get("remaining").asLong()).as("rotation renews no budget").isEqualTo(1);
        assertThat(successor.get("rate_limit")).isEqualTo(t.get("rate_limit"));
        assertThat(successor.get("allowed_cidrs")).isEqualTo(t.get("allowed_cidrs"));
        assertThat(code(successor, "192.0.2.1")).isEqualTo("IP_NOT_ALLOWED");
    }

    /** Regression: the old token kept its own count in its grace period, so rotating doubled the budget. */
    @Test
    void verifyWhenRotatedTokenInGraceThenItSpendsTheSuccessorsUses() {
        JsonNode t = mint("lim-grace", Map.of("max_uses", 5), "orders.items:read");
        verify(t, "orders.items:read", 2L, null);
        JsonNode successor = TestServer.expect(server.post("/v1/tokens/" + t.get("id").asText() + "/rotate",
                server.adminToken(), Map.of("grace", "1h")), 201);
        assertThat(successor.get("remaining").asLong()).isEqualTo(3);

        JsonNode byOld = verify(t, "orders.items:read", 2L, null);
        JsonNode byNew = verify(successor, "orders.items:read", null, null);
        JsonNode exhausted = verify(t, "orders.items:read", null, null);

        assertThat(byOld.get("code").asText()).isEqualTo("VALID");
        assertThat(byOld.get("remaining").asLong()).isEqualTo(1);
        assertThat(byOld.get("rotation_ends_at").asText()).isEqualTo(get(t).get("rotation_ends_at").asText());
        assertThat(byNew.get("remaining").asLong()).isZero();
        assertThat(exhausted.get("code").asText()).isEqualTo("USAGE_EXCEEDED");
        assertThat(get(t).has("remaining")).as("the old token has no count of its own").isFalse();
        assertThat(get(successor).get("remaining").asLong()).isZero();
    }

    /** A rotation in the middle of a burst of verifications: the uses spent and left still add up exactly. */
    @RepeatedTest(3)
    void verifyWhenRotatedDuringConcurrentUseThenUsesSpentAndLeftAddUpToMaxUses() throws Exception {
        JsonNode t = mint("lim-rot-race", Map.of("max_uses", 200), "orders.items:read");
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(() -> {
                int valid = 0;
                for (int n = 0; n < 20; n++) {
                    if (verify(t, "orders.items:read", null, null).get("code").asText().equals("VALID")) {
                        valid++;
                    }
                }
                return valid;
            });
        }
        tasks.add(() -> {
            TestServer.expect(server.post("/v1/tokens/" + t.get("id").asText() + "/rotate", server.adminToken(),
                    Map.of("grace", "1h")), 201);
            return 0;
        });

        List<Integer> results = Race.all(tasks);

        int allowed = results.subList(0, 6).stream().mapToInt(Integer::intValue).sum();
        String successor = get(t).get("rotated_to").asText();
        long left = TestServer.expect(server.get("/v1/tokens/" + successor, server.adminToken()), 200)
                .get("remaining").asLong();
        assertThat(allowed + left).isEqualTo(200);
    }

    /** Regression: a request refused for want of uses still took a slot of the rate limit. */
    @Test
    void verifyWhenUsesRunShortThenNoRateLimitSlotIsTaken() {
        JsonNode t = mint("lim-giveback", Map.of("max_uses", 2, "rate_limit", Map.of("limit", 2, "window", "1h")),
                "orders.items:read");
        assertThat(verify(t, "orders.items:read", 1L, null).get("rate_limit").get("remaining").asLong()).isEqualTo(1);

        JsonNode tooCostly = verify(t, "orders.items:read", 2L, null);
        JsonNode last = verify(t, "orders.items:read", 1L, null);

        assertThat(tooCostly.get("code").asText()).isEqualTo("USAGE_EXCEEDED");
        assertThat(tooCostly.has("rate_limit")).isFalse();
        assertThat(last.get("code").asText()).isEqualTo("VALID");
        assertThat(last.get("rate_limit").get("remaining").asLong()).isZero();
    }

    // ---- the admin API: a use like any other -----------------------------------------------------------

    /** Regression: the admin API checked no network binding, so a bound admin token was refused everywhere. */
    @Test
    void adminApiWhenTokenBoundToNetworksThenTheClientAddressIsChecked() {
        String inside = adminToken("lim-admin-in", Map.of("allowed_cidrs", List.of("127.0.0.0/8", "::1")));
        String outside = adminToken("lim-admin-out", Map.of("allowed_cidrs", List.of("10.0.0.0/8")));

        assertThat(server.get("/v1/roles", inside).status()).isEqualTo(200);
        assertThat(server.get("/v1/roles", outside).status()).isEqualTo(401);
    }

    /** Regression: admin requests spent no use and took no rate-limit slot. */
    @Test
    void adminApiWhenTokenHasMaxUsesOrRateLimitThenEachRequestCounts() {
        String counted = adminToken("lim-admin-uses", Map.of("max_uses", 2));
        String limited = adminToken("lim-admin-rate", Map.of("rate_limit", Map.of("limit", 2, "window", "1m")));

        assertThat(server.get("/v1/roles", counted).status()).isEqualTo(200);
        assertThat(server.get("/v1/roles", counted).status()).isEqualTo(200);
        assertThat(server.get("/v1/roles", counted).status()).isEqualTo(401);
        assertThat(server.get("/v1/roles", limited).status()).isEqualTo(200);
        assertThat(server.get("/v1/roles", limited).status()).isEqualTo(200);
        TestServer.Response tooMany = server.get("/v1/roles", limited);
        assertThat(tooMany.status()).isEqualTo(429);
        assertThat(tooMany.header("Retry-After")).isEqualTo("30");
        assertThat(tooMany.json().get("code").asText()).isEqualTo("rate_limited");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static JsonNode mint(String base, Map<String, Object> extra, String... permissions) {
        String principal = server.newPrincipal(base);
        String role = server.newRole(base, permissions);
        return server.mint(principal, List.of(role), extra);
    }

    /** A token that may read roles, with {@code extra} limits: its secret. */
    private static String adminToken(String base, Map<String, Object> extra) {
        return mint(base, extra, "keygate.roles:read").get("token").asText();
    }

    private static JsonNode verify(JsonNode token, String permission, Long cost, String ip) {
        ObjectNode body = MAPPER.createObjectNode().put("token", token.get("token").asText());
        if (permission != null) {
            body.put("permission", permission);
        }
        if (cost != null) {
            body.put("cost", cost);
        }
        if (ip != null) {
            body.putObject("context").put("ip", ip);
        }
        return TestServer.expect(server.post("/v1/verify", null, body), 200);
    }

    private static JsonNode verifyIn(JsonNode token, String environment, String ip) {
        return TestServer.expect(server.post("/v1/verify", null, Map.of("token", token.get("token").asText(),
                "permission", "orders.items:read", "environment", environment, "context", Map.of("ip", ip))), 200);
    }

    private static String code(JsonNode token, String ip) {
        return verify(token, "orders.items:read", null, ip).get("code").asText();
    }

    private static JsonNode get(JsonNode token) {
        return TestServer.expect(server.get("/v1/tokens/" + token.get("id").asText(), server.adminToken()), 200);
    }
}
