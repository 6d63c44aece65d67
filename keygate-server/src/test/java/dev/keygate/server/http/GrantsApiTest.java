package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles with grants: allows and denies, a deny winning over every allow (in verify and in Keygate's own API),
 * the no-escalation rule with denies, and changes to held roles that would widen them.
 */
class GrantsApiTest extends EndToEndTest {

    private static Map<String, Object> allow(String permission) {
        return Map.of("permission", permission, "effect", "allow");
    }

    private static Map<String, Object> deny(String permission) {
        return Map.of("permission", permission, "effect", "deny");
    }

    private String role(String base, List<String> permissions, List<Map<String, Object>> grants) {
        String name = TestServer.unique(base);
        TestServer.expect(server.post("/v1/roles", server.adminToken(),
                Map.of("name", name, "permissions", permissions, "grants", grants)), 201);
        return name;
    }

    private String token(String principalBase, String... roles) {
        return server.mint(server.newPrincipal(principalBase), List.of(roles), Map.of()).get("token").asText();
    }

    @Test
    void createWithPermissionsAndGrantsThenTheRoleShowsBothInOrder() {
        String name = role("grants-show", List.of("billing.invoices:read"),
                List.of(allow("billing.*:list"), deny("billing.refunds:*")));

        JsonNode read = TestServer.expect(server.get("/v1/roles/" + name, server.adminToken()), 200);

        assertThat(read.get("permissions")).extracting(JsonNode::asText)
                .containsExactly("billing.invoices:read", "billing.*:list");
        assertThat(read.get("grants")).extracting(g -> g.get("effect").asText() + " " + g.get("permission").asText())
                .containsExactly("allow billing.invoices:read", "allow billing.*:list", "deny billing.refunds:*");
        assertThat(read.get("grants").get(2).has("condition")).isFalse();
    }

    @Test
    void verifyWhenADenyMatchesThenForbiddenWhateverAllowsIt() {
        String wide = role("grants-wide", List.of("billing.*:*"), List.of());
        String guard = role("grants-guard", List.of(), List.of(deny("billing.refunds:write")));
        String token = token("grants-deny", wide, guard);

        assertThat(server.verify(token, "billing.invoices:read").get("code").asText()).isEqualTo("VALID");
        assertThat(server.verify(token, "billing.refunds:read").get("code").asText()).isEqualTo("VALID");
        assertThat(server.verify(token, "billing.refunds:write").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(server.verify(token, "billing.*:*").get("code").asText())
                .as("a pattern that overlaps the deny is not wholly granted").isEqualTo("FORBIDDEN");
        assertThat(server.verify(token, "billing.*:read").get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void createWhenGrantsInvalidThen400NamingEveryField() {
        TestServer.Response r = server.post("/v1/roles", server.adminToken(), Map.of("name",
                TestServer.unique("grants-bad"), "grants", List.of(
                        Map.of("permission", "billing.invoices:read"),
                        Map.of("permission", "billing.invoices:read", "effect", "permit"),
                        Map.of("permission", "Billing:read", "effect", "allow"),
                        Map.of("effect", "deny"))));

        RotationApiTest.assertValidationError(r, "grants[0].effect");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText())
                .contains("grants[1].effect", "grants[2].permission", "grants[3].permission");
        assertThat(r.text()).contains("must be \\\"allow\\\" or \\\"deny\\\"");
    }

    @Test
    void createWhenNoPermissionNorGrantThen400() {
        TestServer.Response r = server.post("/v1/roles", server.adminToken(), Map.of("name",
                TestServer.unique("grants-empty"), "grants", List.of()));

        RotationApiTest.assertValidationError(r, "grants");
    }

    @Test
    void createWhenAGrantHasAnUnknownFieldThen400() {
        TestServer.Response r = server.post("/v1/roles", server.adminToken(), Map.of("name",
                TestServer.unique("grants-unknown"), "grants", List.of(Map.of("permission", "a.b:c",
                        "effect", "allow", "when", "always"))));

        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.text()).contains("when");
    }

    @Test
    void updateWhenItWouldDropADenyUnderLiveTokensThen409ButAddingOneNarrowsAtOnce() {
        String name = role("grants-held", List.of("orders.*:*"), List.of(deny("orders.items:delete")));
        String token = token("grants-held", name);
        assertThat(server.verify(token, "orders.items:write").get("code").asText()).isEqualTo("VALID");

        TestServer.Response dropped = server.put("/v1/roles/" + name, server.adminToken(),
                Map.of("permissions", List.of("orders.*:*")));
        TestServer.Response narrowed = server.put("/v1/roles/" + name, server.adminToken(),
                Map.of("permissions", List.of("orders.*:*"),
                        "grants", List.of(deny("orders.items:delete"), deny("orders.items:write"))));

        assertThat(dropped.status()).as(dropped.text()).isEqualTo(409);
        assertThat(dropped.json().get("detail").asText()).contains("no longer deny orders.items:delete");
        assertThat(narrowed.status()).as(narrowed.text()).isEqualTo(200);
        assertThat(server.verify(token, "orders.items:write").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(server.verify(token, "orders.items:read").get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void updateWithoutPermissionsOrGrantsKeepsTheGrants() {
        String name = role("grants-keep", List.of("orders.items:read"), List.of(deny("orders.items:purge")));

        JsonNode updated = TestServer.expect(server.put("/v1/roles/" + name, server.adminToken(),
                Map.of("description", "only the text changes")), 200);

        assertThat(updated.get("description").asText()).isEqualTo("only the text changes");
        assertThat(updated.get("grants")).hasSize(2);
    }

    @Test
    void mintWhenTheCallerHasADenyThenTheNewTokenMustCarryIt() {
        String issuerRole = role("grants-issuer", List.of("keygate.tokens:create", "billing.*:*"),
                List.of(deny("billing.refunds:write")));
        String issuer = token("grants-issuer", issuerRole);
        String wide = role("grants-wide-mint", List.of("billing.*:read", "billing.refunds:write"), List.of());
        String reader = role("grants-reader-mint", List.of("billing.*:read"), List.of());
        String guard = role("grants-guard-mint", List.of(), List.of(deny("billing.refunds:*")));
        String principal = server.newPrincipal("grants-minted");

        TestServer.Response escalating = server.post("/v1/tokens", issuer,
                Map.of("principal", principal, "roles", List.of(wide)));
        TestServer.Response readerOnly = server.post("/v1/tokens", issuer,
                Map.of("principal", principal, "roles", List.of(reader)));
        TestServer.Response readerGuarded = server.post("/v1/tokens", issuer,
                Map.of("principal", principal, "roles", List.of(reader, guard)));

        assertThat(escalating.status()).as(escalating.text()).isEqualTo(403);
        assertThat(escalating.json().get("detail").asText()).contains("billing.refunds:write");
        // billing.*:read overlaps nothing the issuer denies (the deny is of :write), so it needs no deny.
        assertThat(readerOnly.status()).as(readerOnly.text()).isEqualTo(201);
        assertThat(readerGuarded.status()).as(readerGuarded.text()).isEqualTo(201);
    }

    @Test
    void mintWhenTheWantedAllowOverlapsTheCallersDenyThenTheDenyMustComeAlong() {
        String issuerRole = role("grants-issuer2", List.of("keygate.tokens:create", "billing.*:*"),
                List.of(deny("billing.refunds:write")));
        String issuer = token("grants-issuer2", issuerRole);
        String all = role("grants-all", List.of("billing.*:*"), List.of());
        String guard = role("grants-guard2", List.of(), List.of(deny("billing.refunds:*")));
        String principal = server.newPrincipal("grants-minted2");

        TestServer.Response bare = server.post("/v1/tokens", issuer,
                Map.of("principal", principal, "roles", List.of(all)));
        TestServer.Response guarded = server.post("/v1/tokens", issuer,
                Map.of("principal", principal, "roles", List.of(all, guard)));

        assertThat(bare.status()).as(bare.text()).isEqualTo(403);
        assertThat(bare.json().get("detail").asText()).contains("without the deny of billing.refunds:write");
        assertThat(guarded.status()).as(guarded.text()).isEqualTo(201);
        String minted = guarded.json().get("token").asText();
        assertThat(server.verify(minted, "billing.refunds:write").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(server.verify(minted, "billing.invoices:write").get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void adminCallWhenTheCallersRoleDeniesThePermissionThen403() {
        String operator = role("grants-operator", List.of("keygate.*:*"), List.of(deny("keygate.tokens:revoke")));
        String token = token("grants-operator", operator);
        JsonNode victim = server.principalWithToken(TestServer.unique("grants-victim"), "orders.items:read");

        TestServer.Response revoke = server.post("/v1/tokens/" + victim.get("id").asText() + "/revoke", token,
                Map.of());
        TestServer.Response read = server.get("/v1/tokens/" + victim.get("id").asText(), token);

        assertThat(revoke.status()).as(revoke.text()).isEqualTo(403);
        assertThat(revoke.json().get("detail").asText()).contains("keygate.tokens:revoke");
        assertThat(read.status()).isEqualTo(200);
    }

    @Test
    void tokenMetadataIsKeptShownAndCarriedByRotation() {
        String principal = server.newPrincipal("grants-meta");
        String name = server.newRole("grants-meta", "orders.items:read");
        JsonNode created = server.mint(principal, List.of(name), Map.of("metadata", Map.of("team", "billing",
                "tier", 2)));
        TestServer.Response bad = server.post("/v1/tokens", server.adminToken(),
                Map.of("principal", principal, "roles", List.of(name), "metadata", List.of("not", "an", "object")));

        JsonNode read = TestServer.expect(server.get("/v1/tokens/" + created.get("id").asText(),
                server.adminToken()), 200);
        JsonNode rotated = TestServer.expect(server.post("/v1/tokens/" + created.get("id").asText() + "/rotate",
                server.adminToken(), Map.of()), 201);

        assertThat(created.get("metadata").get("team").asText()).isEqualTo("billing");
        assertThat(read.get("metadata").get("tier").asInt()).isEqualTo(2);
        assertThat(rotated.get("metadata")).isEqualTo(read.get("metadata"));
        RotationApiTest.assertValidationError(bad, "metadata");
        JsonNode plain = server.mint(principal, List.of(name), Map.of());
        assertThat(plain.get("metadata").isObject()).isTrue();
        assertThat(plain.get("metadata").isEmpty()).isTrue();
    }
}
