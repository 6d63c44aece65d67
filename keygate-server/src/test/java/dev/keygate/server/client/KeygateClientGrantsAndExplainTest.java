package dev.keygate.server.client;

import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.ExplainRequest;
import dev.keygate.client.Explanation;
import dev.keygate.client.FieldError;
import dev.keygate.client.Grant;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.Role;
import dev.keygate.client.RoleRequest;
import dev.keygate.client.TokenInfo;
import dev.keygate.client.VerifyRequest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Java client's grants, resource attributes, token metadata and explanations against a real server: what each
 * call sends is stored and decided as meant (read back through the client, and through verify), and what the
 * server refuses comes back as a problem naming the field.
 */
class KeygateClientGrantsAndExplainTest extends ClientEndToEndTest {

    // ---- grants --------------------------------------------------------------------------------------------

    @Test
    void createRoleWhenGrantsGivenThenRoundTripsInOrderAndTheDenyWinsInVerify() {
        String name = unique("billing-operator");

        Role role = admin.createRole(RoleRequest.builder().name(name).description("all but refunds")
                .permission("billing.*:*").grant(Grant.deny("billing.refunds:write")).build());
        CreatedToken t = mint(principal("billing-operator"), name);

        assertThat(role.permissions()).containsExactly("billing.*:*");
        assertThat(role.grants()).containsExactly(Grant.allow("billing.*:*"), Grant.deny("billing.refunds:write"));
        assertThat(admin.getRole(name)).isEqualTo(role);
        assertThat(admin.listRoles()).contains(role);
        assertThat(admin.verify(t.secret(), "billing.invoices:write", null).code()).isEqualTo("VALID");
        assertThat(admin.verify(t.secret(), "billing.refunds:read", null).code()).isEqualTo("VALID");
        assertThat(admin.verify(t.secret(), "billing.refunds:write", null).code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void createRoleWhenADenyIsInAnotherRoleOfTheTokenThenItStillWins() {
        String wide = role("wide", "billing.*:*");
        String guard = unique("guard");
        Role guardRole = admin.createRole(RoleRequest.builder().name(guard)
                .grant(Grant.deny("billing.refunds:*")).build());
        CreatedToken t = admin.createToken(CreateTokenRequest.builder().principal(principal("guarded"))
                .role(wide).role(guard).build());

        assertThat(guardRole.permissions()).isEmpty();
        assertThat(guardRole.grants()).containsExactly(Grant.deny("billing.refunds:*"));
        assertThat(admin.verify(t.secret(), "billing.refunds:read", null).code()).isEqualTo("FORBIDDEN");
        assertThat(admin.verify(t.secret(), "billing.invoices:read", null).code()).isEqualTo("VALID");
    }

    @Test
    void updateRoleWhenNeitherPermissionsNorGrantsGivenThenKeepsTheGrantsAndWhenGrantsGivenThenReplacesThem() {
        String name = unique("kept-grants");
        admin.createRole(RoleRequest.builder().name(name).permission("orders.*:*")
                .grant(Grant.deny("orders.items:delete")).build());
        CreatedToken t = mint(principal("kept-grants"), name);

        Role described = admin.updateRole(name, RoleRequest.builder().description("orders, not deletes").build());
        Role narrowed = admin.updateRole(name, RoleRequest.builder().permission("orders.*:*")
                .grants(List.of(Grant.deny("orders.items:delete"), Grant.deny("orders.items:write"))).build());

        assertThat(described.description()).isEqualTo("orders, not deletes");
        assertThat(described.grants()).containsExactly(Grant.allow("orders.*:*"), Grant.deny("orders.items:delete"));
        assertThat(narrowed.grants()).containsExactly(Grant.allow("orders.*:*"), Grant.deny("orders.items:delete"),
                Grant.deny("orders.items:write"));
        assertThat(narrowed.description()).isEqualTo("orders, not deletes");
        assertThat(admin.getRole(name)).isEqualTo(narrowed);
        assertThat(admin.verify(t.secret(), "orders.items:write", null).code()).isEqualTo("FORBIDDEN");
        assertThat(admin.verify(t.secret(), "orders.items:read", null).code()).isEqualTo("VALID");
    }

    @Test
    void updateRoleWhenItWouldDropADenyUnderLiveTokensThen409AndTheOldOverloadSaysSoToo() {
        String name = unique("held-deny");
        admin.createRole(RoleRequest.builder().name(name).permission("orders.*:*")
                .grant(Grant.deny("orders.items:delete")).build());
        mint(principal("held-deny"), name);

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.updateRole(name, null, List.of("orders.*:*")));

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.detail()).contains("no longer deny orders.items:delete");
        assertThat(admin.getRole(name).grants()).contains(Grant.deny("orders.items:delete"));
    }

    @Test
    void updateRoleWhenTheRequestNamesAnotherRoleThenThrowsWithoutSending() {
        String name = role("not-renamed", "a.b:read");

        assertThatThrownBy(() -> admin.updateRole(name, RoleRequest.builder().name("other").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be renamed");
        assertThat(admin.updateRole(name, RoleRequest.builder().name(name).description("same").build())
                .description()).isEqualTo("same");
    }

    @Test
    void createRoleWhenAGrantIsInvalidThen400NamingEachField() {
        String name = unique("bad-grants");

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.createRole(RoleRequest.builder().name(name)
                        .grant(new Grant("billing.invoices:read", "permit", null))
                        .grant(Grant.deny("Billing:read"))
                        .build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("validation_failed");
        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("grants[0].effect", "grants[1].permission");
        assertThat(catchThrowableOfType(KeygateApiException.class, () -> admin.getRole(name)).status())
                .isEqualTo(404);
    }

    @Test
    void createRoleWhenAConditionIsGivenThenItIsSentAndTheServersErrorNamesIt() {
        // Only that the condition travels: whether it compiles and what it decides is the server's to test. (Written
        // when every condition was refused; with CEL in, a misspelt attribute is what the server refuses.)
        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.createRole(RoleRequest.builder().name(unique("conditional"))
                        .grant(Grant.allow("crm.*:read").withCondition("request.enviroment == 'live'")).build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("grants[0].condition");
        assertThat(e.errors().get(0).message()).contains("request.enviroment == 'live'");
    }

    @Test
    void createRoleWhenNothingGrantedThen400() {
        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.createRole(RoleRequest.builder().name(unique("empty")).grants(List.of()).build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("grants");
    }

    // ---- resource, metadata ----------------------------------------------------------------------------

    @Test
    void verifyWhenResourceGivenThenTheServerTakesItAndAnswers() {
        CreatedToken t = tokenWith("verify-resource", "billing.invoices:read");
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("owner", "billing-svc");
        resource.put("amount", 120.5);
        resource.put("tags", List.of("eu", "pci"));
        resource.put("reviewer", null);

        var allowed = admin.verify(VerifyRequest.builder().token(t.secret()).permission("billing.invoices:read")
                .resource(resource).ip("10.1.2.3").build());
        var forbidden = admin.verify(VerifyRequest.builder().token(t.secret()).permission("billing.invoices:write")
                .resource(resource).build());

        assertThat(allowed.code()).isEqualTo("VALID");
        assertThat(allowed.tokenId()).isEqualTo(t.id());
        assertThat(forbidden.code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void createTokenWhenMetadataGivenThenItIsStoredShownAndCarriedByRotation() {
        String principal = principal("token-metadata");
        String role = role("token-metadata", "a.b:read");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("team", "billing");
        metadata.put("tier", 2);
        metadata.put("owner", Map.of("email", "ops@example.com"));
        metadata.put("oncall", null);

        CreatedToken created = admin.createToken(CreateTokenRequest.builder().principal(principal).role(role)
                .metadata(metadata).build());
        TokenInfo read = admin.getToken(created.id());
        CreatedToken rotated = admin.rotateToken(created.id(), "0");

        assertThat(created.token().metadata()).isEqualTo(metadata);
        assertThat(read).isEqualTo(created.token());
        assertThat(rotated.token().metadata()).isEqualTo(metadata);
        assertThat(admin.listTokens(principal, null)).extracting(TokenInfo::metadata).containsOnly(metadata);
        assertThat(mint(principal, role).token().metadata()).isEmpty();
    }

    @Test
    void createTokenWhenMetadataIsTooLargeThen400NamingIt() {
        String principal = principal("metadata-large");
        String role = role("metadata-large", "a.b:read");

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.createToken(CreateTokenRequest.builder().principal(principal).role(role)
                        .metadata(Map.of("blob", "x".repeat(5000))).build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("metadata");
    }

    // ---- explain -------------------------------------------------------------------------------------------

    @Test
    void explainByIdWhenADenyDecidesThenNamesItAndListsEveryRuleInOrder() {
        Guarded g = guarded("explain-id", CreateTokenRequest.builder());

        Explanation e = admin.explain(ExplainRequest.builder().tokenId(g.token.id())
                .permission("billing.refunds:write").environment("live").ip("10.1.2.3")
                .resource(Map.of("owner", "billing-svc")).build());

        assertThat(e.allowed()).isFalse();
        assertThat(e.decision()).isEqualTo("deny");
        assertThat(e.code()).isEqualTo("FORBIDDEN");
        assertThat(e.tokenId()).isEqualTo(g.token.id());
        assertThat(e.principal()).isEqualTo(g.token.token().principal());
        assertThat(e.roles()).containsExactly(g.wide, g.guard);
        assertThat(e.environment()).isEqualTo("live");
        assertThat(e.reason()).isEqualTo("billing.refunds:write denied by role '" + g.guard
                + "', grant 0 (deny billing.refunds:*)");
        assertThat(e.notes()).isEmpty();
        assertThat(e.permissions()).singleElement().isEqualTo(new Explanation.PermissionResult(
                "billing.refunds:write", false,
                new Explanation.Rule(g.guard, 0, "deny", "billing.refunds:*", null, null, null),
                List.of(new Explanation.Rule(g.wide, 0, "allow", "billing.*:*", null, Explanation.Rule.APPLIES, null),
                        new Explanation.Rule(g.guard, 0, "deny", "billing.refunds:*", null,
                                Explanation.Rule.APPLIES, null))));
    }

    @Test
    void explainByTokenWhenAllowedThenSaysWhichGrantAndSpendsNoUse() {
        Guarded g = guarded("explain-token", CreateTokenRequest.builder().maxUses(1L));

        Explanation e = admin.explain(ExplainRequest.builder().token(g.token.secret())
                .permission("billing.invoices:read").build());
        Explanation liveness = admin.explain(ExplainRequest.builder().token(g.token.secret()).build());

        assertThat(e.allowed()).isTrue();
        assertThat(e.code()).isEqualTo("VALID");
        assertThat(e.tokenId()).isEqualTo(g.token.id());
        assertThat(e.permissions().get(0).decidedBy().permission()).isEqualTo("billing.*:*");
        assertThat(e.notes()).singleElement().asString().contains("usage limit not checked");
        assertThat(liveness.allowed()).isTrue();
        assertThat(liveness.permissions()).isEmpty();
        assertThat(admin.getToken(g.token.id()).remaining()).isEqualTo(1L);
    }

    @Test
    void explainWhenTheTokenIsRefusedBeforeThePermissionThenTheCodeAndReasonSayWhy() {
        Guarded g = guarded("explain-revoked", CreateTokenRequest.builder());
        admin.revokeToken(g.token.id(), "leaked in a log");

        Explanation revoked = admin.explain(ExplainRequest.builder().token(g.token.secret())
                .permission("billing.invoices:read").build());
        Explanation unknown = admin.explain(ExplainRequest.builder().token("kg_live_notarealtoken")
                .permission("billing.invoices:read").build());

        assertThat(revoked.allowed()).isFalse();
        assertThat(revoked.code()).isEqualTo("REVOKED");
        assertThat(revoked.reason()).contains("leaked in a log");
        assertThat(revoked.permissions()).isEmpty();
        assertThat(unknown.code()).isEqualTo("NOT_FOUND");
        assertThat(unknown.tokenId()).isNull();
        assertThat(unknown.roles()).isNull();
    }

    @Test
    void explainWhenTheIdIsUnknownOrThePermissionMalformedOrTheCallerMayNotThenApiErrors() {
        Guarded g = guarded("explain-errors", CreateTokenRequest.builder());
        CreatedToken reader = tokenWith("explain-reader", "keygate.tokens:read");

        KeygateApiException missing = catchThrowableOfType(KeygateApiException.class,
                () -> admin.explain(ExplainRequest.builder().tokenId("tok_AAAAAAAAAAAAAAAAAAAA").build()));
        KeygateApiException malformed = catchThrowableOfType(KeygateApiException.class,
                () -> admin.explain(ExplainRequest.builder().tokenId(g.token.id()).permission("Billing").build()));
        KeygateApiException forbidden;
        try (KeygateClient asReader = client(reader.secret())) {
            forbidden = catchThrowableOfType(KeygateApiException.class,
                    () -> asReader.explain(ExplainRequest.builder().tokenId(g.token.id()).build()));
        }

        assertThat(missing.status()).isEqualTo(404);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errors()).extracting(FieldError::field).containsExactly("permission");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.detail()).contains("keygate.policy:explain");
    }

    /** A token holding a wide role ({@code billing.*:*}) and a guard role that denies refunds. */
    private record Guarded(String wide, String guard, CreatedToken token) {
    }

    private Guarded guarded(String base, CreateTokenRequest.Builder token) {
        String wide = role(base + "-wide", "billing.*:*");
        String guard = unique(base + "-guard");
        admin.createRole(RoleRequest.builder().name(guard).grant(Grant.deny("billing.refunds:*")).build());
        return new Guarded(wide, guard, admin.createToken(token.principal(principal(base)).role(wide).role(guard)
                .build()));
    }
}
