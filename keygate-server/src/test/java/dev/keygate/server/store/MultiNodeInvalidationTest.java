package dev.keygate.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.StoreKind;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.verify.VerifyService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one PostgreSQL store, with a cache TTL of 10 minutes so that only the change feed can explain a
 * prompt refusal: a token revoked, rotated or disabled (or a role narrowed) through one node is refused by the
 * other, whose cache held the old view, within moments. And a usage limit is exact across both nodes.
 */
class MultiNodeInvalidationTest {

    private static TestServer nodeA;
    private static KeygateServer nodeB;

    @BeforeAll
    static void startTwoNodes() {
        nodeA = TestServer.start(StoreKind.POSTGRESQL, b -> b.cacheTtl("10m"));
        nodeB = KeygateServer.start(nodeA.storeConfig());
    }

    @AfterAll
    static void stopNodes() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
    }

    @Test
    void revokeOnOneNodeWhenOtherNodeCachedTheTokenThenOtherNodeRefusesIt() {
        JsonNode created = cachedOnB("multi-revoke");

        TestServer.expect(nodeA.post("/v1/tokens/" + created.get("id").asText() + "/revoke", nodeA.adminToken(),
                Map.of()), 200);

        assertThat(eventuallyOnB(created, VerifyCode.REVOKED)).isEqualTo(VerifyCode.REVOKED);
    }

    @Test
    void narrowRoleOnOneNodeWhenOtherNodeCachedTheTokenThenOtherNodeForbidsTheRemovedPermission() {
        nodeA.createPrincipal("multi-narrow", "service");
        nodeA.createRole("multi-narrow-role", "multi.items:read", "multi.items:write");
        String token = nodeA.mint("multi-narrow", List.of("multi-narrow-role"), Map.of()).get("token").asText();
        VerifyService onB = nodeB.verifier();
        assertThat(codeOf(onB, token, "multi.items:write")).isEqualTo(VerifyCode.VALID);

        TestServer.expect(nodeA.put("/v1/roles/multi-narrow-role", nodeA.adminToken(),
                Map.of("permissions", List.of("multi.items:read"))), 200);

        assertThat(eventually(() -> codeOf(onB, token, "multi.items:write"),
                VerifyCode.FORBIDDEN)).isEqualTo(VerifyCode.FORBIDDEN);
        assertThat(codeOf(onB, token, "multi.items:read")).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void rotateOnOneNodeWhenOtherNodeCachedTheTokenThenOtherNodeAnswersRotated() {
        JsonNode created = cachedOnB("multi-rotate");

        JsonNode successor = TestServer.expect(nodeA.post("/v1/tokens/" + created.get("id").asText() + "/rotate",
                nodeA.adminToken(), Map.of("grace", "0")), 201);

        assertThat(eventuallyOnB(created, VerifyCode.ROTATED)).isEqualTo(VerifyCode.ROTATED);
        assertThat(codeOf(nodeB.verifier(), successor.get("token").asText(), "multi.items:read"))
                .isEqualTo(VerifyCode.VALID);
    }

    @Test
    void disablePrincipalOnOneNodeWhenOtherNodeCachedItsTokenThenOtherNodeAnswersRevoked() {
        JsonNode created = cachedOnB("multi-disable");

        TestServer.expect(nodeA.post("/v1/principals/multi-disable/disable", nodeA.adminToken(), Map.of()), 200);

        assertThat(eventuallyOnB(created, VerifyCode.REVOKED)).isEqualTo(VerifyCode.REVOKED);
    }

    /** A principal named {@code name} with a token for {@code multi.items:read}, minted on A and cached on B. */
    private static JsonNode cachedOnB(String name) {
        JsonNode created = nodeA.principalWithToken(name, "multi.items:read");
        assertThat(codeOf(nodeB.verifier(), created.get("token").asText(), "multi.items:read"))
                .isEqualTo(VerifyCode.VALID);
        return created;
    }

    private static VerifyCode eventuallyOnB(JsonNode created, VerifyCode expected) {
        return eventually(() -> codeOf(nodeB.verifier(), created.get("token").asText(), "multi.items:read"),
                expected);
    }

    /** Verifiers on both nodes race for a token's uses: exactly max_uses are allowed in all. */
    @RepeatedTest(3)
    void verifyOnBothNodesWhenTokenHasMaxUsesThenExactlyThatManyAllowedInAll() throws Exception {
        String name = TestServer.unique("multi-uses");
        nodeA.createPrincipal(name, "service");
        nodeA.createRole(name + "-role", "multi.items:read");
        String token = nodeA.mint(name, List.of(name + "-role"), Map.of("max_uses", 60)).get("token").asText();
        List<Callable<Integer>> verifiers = new ArrayList<>();
        for (VerifyService node : List.of(nodeA.server().verifier(), nodeB.verifier())) {
            for (int t = 0; t < 4; t++) {
                verifiers.add(() -> {
                    int valid = 0;
                    for (int i = 0; i < 25; i++) {
                        if (codeOf(node, token, "multi.items:read") == VerifyCode.VALID) {
                            valid++;
                        }
                    }
                    return valid;
                });
            }
        }

        List<Integer> allowed = Race.all(verifiers);

        assertThat(allowed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
    }

    /** Polls until {@code probe} answers {@code expected}, for at most 10 s (the feed normally takes ms). */
    private static VerifyCode eventually(Supplier<VerifyCode> probe, VerifyCode expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        VerifyCode code = probe.get();
        while (code != expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            code = probe.get();
        }
        return code;
    }

    private static VerifyCode codeOf(VerifyService verifier, String token, String permission) {
        return verifier.verify(new VerifyService.Request(token, permission, null, null, null), null, null).code();
    }
}
