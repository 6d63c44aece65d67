package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/principals/{name}/disable} and {@code …/enable}: when a service no longer needs access, every
 * token it holds stops at once and it can be given no new one until it is enabled.
 */
class PrincipalDisableApiTest extends EndToEndTest {

    @Test
    void disableWhenPrincipalHasLiveTokensThenAllRevokedAndCounted() {
        String principal = server.newPrincipal("dis-live");
        String role = server.newRole("dis-live", "orders.items:read");
        JsonNode a = server.mint(principal, List.of(role), Map.of());
        JsonNode b = server.mint(principal, List.of(role), Map.of("ttl", "1h"));
        JsonNode revokedBefore = server.mint(principal, List.of(role), Map.of());
        TestServer.expect(server.post("/v1/tokens/" + revokedBefore.get("id").asText() + "/revoke",
                server.adminToken(), Map.of()), 200);

        TestServer.Response r = server.post("/v1/principals/" + principal + "/disable", server.adminToken(),
                Map.of("reason", "service decommissioned"));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("disabled").asBoolean()).isTrue();
        assertThat(r.json().hasNonNull("disabled_at")).isTrue();
        assertThat(r.json().get("revoked_count").asInt()).isEqualTo(2);
        for (JsonNode t : List.of(a, b)) {
            assertThat(server.verify(t.get("token").asText(), null).get("code").asText()).isEqualTo("REVOKED");
        }
        assertThat(server.tokensOf(principal)).allSatisfy(t -> assertThat(t.get("status").asText())
                .isEqualTo("revoked"));
        server.flushAudit();
        JsonNode events = TestServer.expect(server.get("/v1/audit?token_id=" + a.get("id").asText()
                + "&action=token.revoke", server.adminToken()), 200).get("items");
        assertThat(events).hasSize(1);
        JsonNode disableEvents = TestServer.expect(server.get("/v1/audit?action=principal.disable",
                server.adminToken()), 200).get("items");
        assertThat(disableEvents).anySatisfy(e -> assertThat(e.get("target").asText()).isEqualTo(principal));
    }

    @Test
    void createTokenWhenPrincipalDisabledThen409UntilEnabled() {
        String principal = server.newPrincipal("dis-mint");
        String role = server.newRole("dis-mint", "orders.items:read");
        JsonNode old = server.mint(principal, List.of(role), Map.of());
        TestServer.expect(server.post("/v1/principals/" + principal + "/disable", server.adminToken(), Map.of()), 200);

        TestServer.Response refused = server.post("/v1/tokens", server.adminToken(),
                Map.of("principal", principal, "roles", List.of(role)));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("is disabled");
        JsonNode enabled = TestServer.expect(server.post("/v1/principals/" + principal + "/enable",
                server.adminToken(), null), 200);
        assertThat(enabled.get("disabled").asBoolean()).isFalse();
        assertThat(enabled.has("disabled_at")).isFalse();
        JsonNode fresh = server.mint(principal, List.of(role), Map.of());
        assertThat(server.verify(fresh.get("token").asText(), null).get("code").asText()).isEqualTo("VALID");
        assertThat(server.verify(old.get("token").asText(), null).get("code").asText())
                .as("enabling does not bring revoked tokens back").isEqualTo("REVOKED");
    }

    @Test
    void disableWhenTokensHaveChildrenOfOtherPrincipalsThenTheyGoToo() {
        String principal = server.newPrincipal("dis-tree");
        String other = server.newPrincipal("dis-tree-other");
        String role = server.newRole("dis-tree", "orders.items:read", "keygate.tokens:create");
        String childRole = server.newRole("dis-tree-child", "orders.items:read");
        JsonNode parent = server.mint(principal, List.of(role), Map.of());
        JsonNode child = TestServer.expect(server.post("/v1/tokens", parent.get("token").asText(),
                Map.of("principal", other, "roles", List.of(childRole), "child", true)), 201);

        JsonNode r = TestServer.expect(server.post("/v1/principals/" + principal + "/disable", server.adminToken(),
                Map.of()), 200);

        assertThat(r.get("revoked_count").asInt()).isEqualTo(2);
        assertThat(server.verify(child.get("token").asText(), null).get("code").asText()).isEqualTo("REVOKED");
    }

    @Test
    void disableWhenRepeatedThenNothingMoreRevokedAndEnableIsIdempotent() {
        String principal = server.newPrincipal("dis-twice");

        JsonNode first = TestServer.expect(server.post("/v1/principals/" + principal + "/disable",
                server.adminToken(), Map.of()), 200);
        JsonNode second = TestServer.expect(server.post("/v1/principals/" + principal + "/disable",
                server.adminToken(), Map.of()), 200);

        assertThat(second.get("revoked_count").asInt()).isZero();
        assertThat(second.get("disabled_at").asText()).isEqualTo(first.get("disabled_at").asText());
        TestServer.expect(server.post("/v1/principals/" + principal + "/enable", server.adminToken(), null), 200);
        TestServer.expect(server.post("/v1/principals/" + principal + "/enable", server.adminToken(), null), 200);
    }

    @Test
    void disableWhenUnknownOrNotPermittedOrBadBodyThenRefused() {
        String principal = server.newPrincipal("dis-refused");
        String caller = server.principalWithToken(TestServer.unique("dis-refused-caller"), "keygate.principals:write")
                .get("token").asText();

        assertThat(server.post("/v1/principals/nobody-" + TestServer.unique("x") + "/disable", server.adminToken(),
                Map.of()).status()).isEqualTo(404);
        TestServer.Response forbidden = server.post("/v1/principals/" + principal + "/disable", caller, Map.of());
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("detail").asText()).contains("keygate.principals:disable");
        assertThat(server.post("/v1/principals/" + principal + "/disable", server.adminToken(),
                Map.of("why", "x")).status()).isEqualTo(400);
        assertThat(server.post("/v1/principals/" + principal + "/enable", server.adminToken(),
                Map.of("reason", "x")).status()).isEqualTo(400);
        JsonNode p = TestServer.expect(server.get("/v1/principals/" + principal, server.adminToken()), 200);
        assertThat(p.get("disabled").asBoolean()).isFalse();
    }

    /** Minting for a principal while it is being disabled: whichever commits first, no live token is left. */
    @RepeatedTest(5)
    void disableWhenRacingMintingThenNoLiveTokenSurvives() throws Exception {
        String principal = server.newPrincipal("dis-race");
        String role = server.newRole("dis-race", "orders.items:read");
        List<TestServer.Response> results = Race.all(List.of(
                () -> server.post("/v1/tokens", server.adminToken(), Map.of("principal", principal, "roles",
                        List.of(role))),
                () -> server.post("/v1/principals/" + principal + "/disable", server.adminToken(), Map.of())));
        TestServer.Response minted = results.get(0);
        assertThat(results.get(1).status()).isEqualTo(200);

        assertThat(minted.status()).isIn(201, 409);
        JsonNode live = TestServer.expect(server.get("/v1/tokens?principal=" + principal + "&status=active",
                server.adminToken()), 200).get("items");
        assertThat(live).isEmpty();
    }

    /**
     * Regression: a rotation racing a disabling could insert its successor after the disabling had listed the
     * principal's tokens, leaving a live token for a disabled principal.
     */
    @RepeatedTest(5)
    void disableWhenRacingRotationThenNoLiveTokenSurvives() throws Exception {
        String principal = server.newPrincipal("dis-rot-race");
        String role = server.newRole("dis-rot-race", "orders.items:read");
        JsonNode token = server.mint(principal, List.of(role), Map.of());

        List<TestServer.Response> results = Race.all(List.of(
                () -> server.post("/v1/tokens/" + token.get("id").asText() + "/rotate", server.adminToken(),
                        Map.of("grace", "1h")),
                () -> server.post("/v1/principals/" + principal + "/disable", server.adminToken(), Map.of())));

        assertThat(results.get(0).status()).isIn(201, 409);
        assertThat(results.get(1).status()).isEqualTo(200);
        JsonNode live = TestServer.expect(server.get("/v1/tokens?principal=" + principal + "&status=active",
                server.adminToken()), 200).get("items");
        assertThat(live).isEmpty();
    }

    @Test
    void rotateWhenPrincipalDisabledThen409() {
        String principal = server.newPrincipal("dis-rot");
        String role = server.newRole("dis-rot", "orders.items:read");
        JsonNode token = server.mint(principal, List.of(role), Map.of());
        TestServer.expect(server.post("/v1/principals/" + principal + "/disable", server.adminToken(), Map.of()), 200);

        TestServer.Response r = server.post("/v1/tokens/" + token.get("id").asText() + "/rotate", server.adminToken(),
                Map.of());

        assertThat(r.status()).isEqualTo(409);
    }
}
