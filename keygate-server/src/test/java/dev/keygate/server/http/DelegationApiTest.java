package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Child tokens ({@code child: true}): bound by the calling token's own permissions and lifetime, recorded with
 * {@code parent_id}; and revocation of the whole tree, in one transaction, with a count and an audit event each.
 */
class DelegationApiTest extends EndToEndTest {

    @Test
    void createWhenChildThenParentRecordedAndDefaultLifetimeShortenedToParents() {
        Delegator parent = delegator("deleg-basic", "2h", "orders.items:read");

        JsonNode child = TestServer.expect(childOf(parent, "orders.items:read", Map.of()), 201);

        assertThat(child.get("parent_id").asText()).isEqualTo(parent.id);
        assertThat(child.get("created_by").asText()).isEqualTo(parent.id);
        assertThat(child.get("expires_at").asText()).as("the default 24h is cut to the parent's 2h")
                .isEqualTo(parent.token.get("expires_at").asText());
        assertThat(code(child, "orders.items:read")).isEqualTo("VALID");
    }

    @Test
    void createWhenChildAsksToOutliveParentThen400NamingParent() {
        Delegator parent = delegator("deleg-outlive", "2h", "orders.items:read");

        TestServer.Response r = childOf(parent, "orders.items:read", Map.of("ttl", "3h"));

        RotationApiTest.assertValidationError(r, "ttl");
        assertThat(r.text()).contains("cannot outlive its parent " + parent.id);
    }

    @Test
    void createWhenChildWouldHoldMoreThanParentThen403EvenWithRolesBind() {
        Delegator parent = delegator("deleg-wider", "2h", "orders.items:read", "keygate.roles:bind");
        String wider = server.newRole("deleg-wider-child", "orders.items:write");

        TestServer.Response child = parent.mint(wider, Map.of("child", true));
        TestServer.Response orphan = parent.mint(wider, Map.of());

        assertThat(child.status()).as(child.text()).isEqualTo(403);
        assertThat(child.json().get("detail").asText()).contains("orders.items:write");
        assertThat(orphan.status()).as("roles:bind still lets a non-child token be minted").isEqualTo(201);
    }

    /** Regression: a staging token's children were minted for live unless told otherwise. */
    @Test
    void createWhenChildThenItStaysInItsParentsEnvironment() {
        String principal = server.newPrincipal("deleg-env");
        String role = server.newRole("deleg-env", "orders.items:read", "keygate.tokens:create");
        Delegator parent = new Delegator(server.mint(principal, List.of(role), Map.of("environment", "staging")));

        JsonNode child = TestServer.expect(childOf(parent, "orders.items:read", Map.of()), 201);
        TestServer.Response live = childOf(parent, "orders.items:read", Map.of("environment", "live"));

        assertThat(child.get("environment").asText()).isEqualTo("staging");
        RotationApiTest.assertValidationError(live, "environment");
        assertThat(live.text()).contains("parent's environment 'staging'");
    }

    @Test
    void createWhenNotChildThenNoParent() {
        Delegator parent = delegator("deleg-orphan", "2h", "orders.items:read");
        String role = server.newRole("deleg-orphan-r", "orders.items:read");

        JsonNode token = TestServer.expect(parent.mint(role, Map.of()), 201);

        assertThat(token.has("parent_id")).isFalse();
    }

    @Test
    void revokeWhenTreeThenEveryDescendantRevokedInOneGoWithCountAndAudit() {
        Delegator root = delegator("deleg-tree", "2h", "orders.items:read");
        JsonNode child = TestServer.expect(childOf(root, "orders.items:read", Map.of(), "keygate.tokens:create"), 201);
        Delegator childAsDelegator = new Delegator(child);
        JsonNode grandchild = TestServer.expect(childAsDelegator.mint(
                server.newRole("deleg-tree-gc", "orders.items:read"), Map.of("child", true)), 201);
        JsonNode sibling = TestServer.expect(childOf(root, "orders.items:read", Map.of()), 201);

        TestServer.Response r = server.post("/v1/tokens/" + root.id + "/revoke", server.adminToken(),
                Map.of("reason", "agent compromised"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("revoked_count").asInt()).isEqualTo(4);
        for (JsonNode t : List.of(root.token, child, grandchild, sibling)) {
            assertThat(code(t, null)).as(t.get("id").asText()).isEqualTo("REVOKED");
            assertThat(get(t).get("revoke_reason").asText()).isEqualTo("agent compromised");
        }
        server.flushAudit();
        JsonNode events = TestServer.expect(server.get("/v1/audit?token_id=" + grandchild.get("id").asText()
                + "&action=token.revoke", server.adminToken()), 200).get("items");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("detail").asText()).contains("ancestor=" + root.id);

        TestServer.Response again = server.post("/v1/tokens/" + root.id + "/revoke", server.adminToken(), Map.of());
        assertThat(again.json().get("revoked_count").asInt()).isZero();
    }

    @Test
    void revokeWhenChildRevokedThenParentStaysLive() {
        Delegator root = delegator("deleg-up", "2h", "orders.items:read");
        JsonNode child = TestServer.expect(childOf(root, "orders.items:read", Map.of()), 201);

        TestServer.Response r = server.post("/v1/tokens/" + child.get("id").asText() + "/revoke", server.adminToken(),
                Map.of());

        assertThat(r.json().get("revoked_count").asInt()).isEqualTo(1);
        assertThat(code(root.token, null)).isEqualTo("VALID");
    }

    @Test
    void rotateWhenParentRotatedThenChildrenFollowTheSuccessor() {
        Delegator root = delegator("deleg-rot", "2h", "orders.items:read", "keygate.tokens:rotate");
        JsonNode child = TestServer.expect(childOf(root, "orders.items:read", Map.of()), 201);

        JsonNode successor = TestServer.expect(server.post("/v1/tokens/" + root.id + "/rotate", server.adminToken(),
                Map.of()), 201);

        assertThat(get(child).get("parent_id").asText()).isEqualTo(successor.get("id").asText());
        JsonNode revoked = TestServer.expect(server.post("/v1/tokens/" + successor.get("id").asText() + "/revoke",
                server.adminToken(), Map.of()), 200);
        assertThat(revoked.get("revoked_count").asInt()).isEqualTo(2);
        assertThat(code(child, null)).isEqualTo("REVOKED");
    }

    @Test
    void createWhenParentIsRevokedThenChildRefused() {
        Delegator parent = delegator("deleg-dead", "2h", "orders.items:read");
        String role = server.newRole("deleg-dead-r", "orders.items:read");
        TestServer.expect(server.post("/v1/tokens/" + parent.id + "/revoke", server.adminToken(), Map.of()), 200);

        TestServer.Response r = parent.mint(role, Map.of("child", true));

        assertThat(r.status()).isEqualTo(401);
    }

    /**
     * A child minted while its parent is being revoked: whichever commits first, no live child is left behind
     * (the minting share-locks the parent row; the revocation finds every committed child).
     */
    @RepeatedTest(5)
    void revokeWhenRacingChildMintingThenNoLiveChildSurvives() throws Exception {
        Delegator parent = delegator("deleg-race", "2h", "orders.items:read");
        String role = server.newRole("deleg-race-r", "orders.items:read");
        List<TestServer.Response> results = Race.all(List.of(
                () -> parent.mint(role, Map.of("child", true)),
                () -> server.post("/v1/tokens/" + parent.id + "/revoke", server.adminToken(), Map.of())));
        TestServer.Response minted = results.get(0);
        assertThat(results.get(1).status()).isEqualTo(200);

        if (minted.status() == 201) {
            assertThat(code(minted.json(), null)).isEqualTo("REVOKED");
        } else {
            assertThat(minted.status()).isIn(401, 409);
        }
        JsonNode live = TestServer.expect(server.get("/v1/tokens?principal=" + parent.principal + "&status=active",
                server.adminToken()), 200).get("items");
        assertThat(live).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** A token that may mint tokens: its principal, id and secret. */
    private record Delegator(JsonNode token, String id, String principal, String secret) {
        Delegator(JsonNode token) {
            this(token, token.get("id").asText(), token.get("principal").asText(), token.get("token").asText());
        }

        TestServer.Response mint(String role, Map<String, Object> extra) {
            HashMap<String, Object> body = new HashMap<>(extra);
            body.put("principal", principal);
            body.put("roles", List.of(role));
            return server.post("/v1/tokens", secret, body);
        }
    }

    private static Delegator delegator(String base, String ttl, String... permissions) {
        String principal = server.newPrincipal(base);
        String[] all = Stream.concat(Stream.of(permissions),
                Stream.of("keygate.tokens:create")).toArray(String[]::new);
        String role = server.newRole(base, all);
        return new Delegator(server.mint(principal, List.of(role), Map.of("ttl", ttl)));
    }

    private static TestServer.Response childOf(Delegator parent, String permission, Map<String, Object> extra,
                                               String... morePermissions) {
        String[] all = Stream.concat(Stream.of(permission), Stream.of(morePermissions)).toArray(String[]::new);
        String role = server.newRole("child-of-" + parent.principal, all);
        HashMap<String, Object> body = new HashMap<>(extra);
        body.put("child", true);
        return parent.mint(role, body);
    }

    private static JsonNode get(JsonNode token) {
        return TestServer.expect(server.get("/v1/tokens/" + token.get("id").asText(), server.adminToken()), 200);
    }

    private static String code(JsonNode token, String permission) {
        return server.verify(token.get("token").asText(), permission).get("code").asText();
    }

}
