package dev.keygate.server.client;

import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.DisabledPrincipal;
import dev.keygate.client.FieldError;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.Principal;
import dev.keygate.client.Role;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Java client's role and principal calls against a real server: what each call returns, that what it sent
 * was stored as meant (read back through the client), and that names are carried safely in the path.
 */
class KeygateClientRoleAndPrincipalTest extends ClientEndToEndTest {

    // ---- roles ---------------------------------------------------------------------------------------------

    @Test
    void createRoleWhenCalledThenReturnsTheStoredRoleWithServerTimes() {
        String name = unique("billing-reader");
        Instant now = now();

        Role role = admin.createRole(name, "Reads invoices", List.of("billing.invoices:read"));

        assertThat(role).isEqualTo(new Role(name, "Reads invoices", List.of("billing.invoices:read"), null, null, now,
                now));
        assertThat(admin.getRole(name)).isEqualTo(role);
    }

    @Test
    void createRoleWhenMaxTtlGivenThenItIsStoredAndCapsTokens() {
        String name = unique("capped-client");

        Role role = admin.createRole(name, null, List.of("a:read"), "2h");

        assertThat(role.maxTtl()).isEqualTo("2h");
        assertThat(admin.getRole(name).maxTtl()).isEqualTo("2h");
        assertThat(admin.createRole(unique("uncapped-client"), null, List.of("a:read")).maxTtl()).isNull();
    }

    @Test
    void createRoleWhenDescriptionIsNullThenServerStoresAnEmptyDescription() {
        String name = unique("no-description");

        Role role = admin.createRole(name, null, List.of("billing.invoices:read"));

        assertThat(role.description()).isEmpty();
        assertThat(admin.getRole(name).description()).isEmpty();
    }

    @Test
    void createRoleWhenPermissionsRepeatThenReturnsThemOnceInTheOrderGiven() {
        String name = unique("ordered");

        Role role = admin.createRole(name, null,
                List.of("orders.items:write", "orders.items:read", "orders.items:write"));

        assertThat(role.permissions()).containsExactly("orders.items:write", "orders.items:read");
    }

    @Test
    void listRolesWhenRolesExistThenReturnsEveryRoleSortedByName() {
        String zulu = unique("zz-list");
        String alpha = unique("aa-list");
        admin.createRole(zulu, null, List.of("a:read"));
        admin.createRole(alpha, "first", List.of("a:read"));

        List<Role> roles = admin.listRoles();

        assertThat(roles).extracting(Role::name).contains(alpha, zulu, "keygate-admin").isSorted();
        assertThat(roles).filteredOn(r -> r.name().equals(alpha)).singleElement()
                .satisfies(r -> assertThat(r.description()).isEqualTo("first"));
    }

    @Test
    void getRoleWhenNameNeedsEncodingThenServerSeesTheWholeNameAsOneSegment() {
        String name = "a b/c?d";

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class, () -> admin.getRole(name));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.code()).isEqualTo("not_found");
        assertThat(e.detail()).isEqualTo("role 'a b/c?d' does not exist");
    }

    @Test
    void updateRoleWhenNarrowingThenReturnsNewDescriptionPermissionsAndUpdateTime() {
        String name = unique("narrowed");
        Role created = admin.createRole(name, "old", List.of("billing.invoices:read", "billing.refunds:read"));
        server.clock().advance(Duration.ofSeconds(5));
        Instant later = now();

        Role updated = admin.updateRole(name, "new", List.of("billing.invoices:read"));

        assertThat(updated).isEqualTo(
                new Role(name, "new", List.of("billing.invoices:read"), null, null, created.createdAt(), later));
        assertThat(admin.getRole(name)).isEqualTo(updated);
    }

    @Test
    void updateRoleWhenMaxTtlGivenThenItChangesAndWhenOmittedThenItIsKept() {
        String name = unique("recapped");
        admin.createRole(name, null, List.of("a:read"), "2h");

        Role capped = admin.updateRole(name, null, List.of("a:read"), "30m");
        Role kept = admin.updateRole(name, "still capped", List.of("a:read"));

        assertThat(capped.maxTtl()).isEqualTo("30m");
        assertThat(kept.maxTtl()).isEqualTo("30m");
        assertThat(admin.getRole(name).maxTtl()).isEqualTo("30m");
    }

    @Test
    void updateRoleWhenNoMaxTtlThenTheCapIsRemoved() {
        String name = unique("uncapped");
        admin.createRole(name, null, List.of("a:read"), "1h");

        Role uncapped = admin.updateRole(name, null, List.of("a:read"), Role.NO_MAX_TTL);

        assertThat(uncapped.maxTtl()).isNull();
        assertThat(admin.getRole(name)).isEqualTo(uncapped);
        String principal = principal("uncapped");
        assertThat(admin.createToken(CreateTokenRequest.builder().principal(principal).role(name).ttl("2h").build())
                .token().expiresAt()).isEqualTo(now().plus(Duration.ofHours(2)));
    }

    @Test
    void createRoleWhenEnvironmentsGivenThenOnlyTokensOfThoseEnvironmentsMayHoldIt() {
        String name = unique("staging-only");
        String principal = principal("staging-only");

        Role role = admin.createRole(name, null, List.of("a:read"), null, List.of("staging", "dev"));
        KeygateApiException live = catchThrowableOfType(KeygateApiException.class, () -> mint(principal, name));
        CreatedToken staging = admin.createToken(CreateTokenRequest.builder().principal(principal).role(name)
                .environment("staging").build());

        assertThat(role.environments()).containsExactly("staging", "dev");
        assertThat(admin.getRole(name)).isEqualTo(role);
        assertThat(admin.listRoles()).contains(role);
        assertThat(live.status()).isEqualTo(400);
        assertThat(live.errors()).extracting(FieldError::field).containsExactly("roles[0]");
        assertThat(staging.token().environment()).isEqualTo("staging");
        assertThat(admin.createRole(unique("everywhere"), null, List.of("a:read")).environments()).isNull();
    }

    @Test
    void updateRoleWhenEnvironmentsNullThenKeptAndWhenAllEnvironmentsThenTheLimitIsRemoved() {
        String name = unique("widened-envs");
        admin.createRole(name, null, List.of("a:read"), null, List.of("staging"));

        Role kept = admin.updateRole(name, "same places", List.of("a:read"), null, null);
        Role everywhere = admin.updateRole(name, null, List.of("a:read"), null, Role.ALL_ENVIRONMENTS);

        assertThat(kept.environments()).containsExactly("staging");
        assertThat(everywhere.environments()).isNull();
        assertThat(everywhere.description()).isEqualTo("same places");
        assertThat(admin.getRole(name)).isEqualTo(everywhere);
        assertThat(mint(principal("widened-envs"), name).token().environment()).isEqualTo("live");
    }

    @Test
    void updateRoleWhenNarrowingEnvironmentsUnderLiveTokensThen409AndUnchanged() {
        String name = unique("narrowed-envs");
        Role before = admin.createRole(name, null, List.of("a:read"), null, List.of("staging", "dev"));
        admin.createToken(CreateTokenRequest.builder().principal(principal("narrowed-envs")).role(name)
                .environment("staging").build());

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.updateRole(name, null, List.of("a:read"), null, List.of("dev")));

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("conflict");
        assertThat(e.detail()).contains("[staging]");
        assertThat(admin.getRole(name)).isEqualTo(before);
    }

    @Test
    void updateRoleWhenNoLiveTokenHoldsItThenWideningIsAllowed() {
        String name = unique("widened");
        admin.createRole(name, null, List.of("billing.invoices:read"));

        Role updated = admin.updateRole(name, null, List.of("billing.invoices:read", "billing.refunds:read"));

        assertThat(updated.permissions()).containsExactly("billing.invoices:read", "billing.refunds:read");
        assertThat(updated.description()).isEmpty();
    }

    @Test
    void deleteRoleWhenUnusedThenReturnsAndTheRoleIsGone() {
        String name = unique("deleted");
        admin.createRole(name, null, List.of("a:read"));

        admin.deleteRole(name);

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class, () -> admin.getRole(name));
        assertThat(e.status()).isEqualTo(404);
        assertThat(admin.listRoles()).extracting(Role::name).doesNotContain(name);
    }

    // ---- principals ----------------------------------------------------------------------------------------

    @Test
    void createPrincipalWhenMetadataThenReturnsAndStoresItAsJson() {
        String name = unique("billing-svc");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("team", "payments");
        metadata.put("tier", 1);
        metadata.put("tags", List.of("pci", "eu"));
        metadata.put("owner", Map.of("email", "ops@example.com"));
        Instant now = now();

        Principal p = admin.createPrincipal(name, "service", "Bills customers", metadata);

        assertThat(p).isEqualTo(new Principal(name, "service", "Bills customers", metadata, now, false, null));
        assertThat(admin.getPrincipal(name)).isEqualTo(p);
    }

    @Test
    void createPrincipalWhenMetadataHoldsANullThenTheNullIsKept() {
        String name = unique("null-metadata");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("oncall", null);

        Principal p = admin.createPrincipal(name, "user", "", metadata);

        assertThat(p.metadata()).containsEntry("oncall", null).hasSize(1);
        assertThat(admin.getPrincipal(name).metadata()).containsEntry("oncall", null).hasSize(1);
    }

    @Test
    void createPrincipalWhenDescriptionAndMetadataAreNullThenServerDefaultsApply() {
        String name = unique("bare");

        Principal p = admin.createPrincipal(name, "integration", null, null);

        assertThat(p.kind()).isEqualTo("integration");
        assertThat(p.description()).isEmpty();
        assertThat(p.metadata()).isEmpty();
    }

    @Test
    void listPrincipalsWhenPrincipalsExistThenReturnsEverySortedByName() {
        String later = unique("zz-principal");
        String earlier = unique("aa-principal");
        admin.createPrincipal(later, "service", null, null);
        admin.createPrincipal(earlier, "user", null, Map.of("k", "v"));

        List<Principal> principals = admin.listPrincipals();

        assertThat(principals).extracting(Principal::name).contains(earlier, later, "admin").isSorted();
        assertThat(principals).filteredOn(p -> p.name().equals(earlier)).singleElement()
                .satisfies(p -> assertThat(p.metadata()).isEqualTo(Map.of("k", "v")));
    }

    @Test
    void getPrincipalWhenNameHasDotsAndAtSignThenFindsIt() {
        String name = unique("ci@build.example.com");
        admin.createPrincipal(name, "user", null, null);

        assertThat(admin.getPrincipal(name).name()).isEqualTo(name);
    }

    @Test
    void disablePrincipalWhenItHasLiveTokensThenRevokesThemAndRefusesNewOnesUntilEnabled() {
        String name = principal("disabled-client");
        String role = role("disabled-client", "a:read");
        CreatedToken first = mint(name, role);
        mint(name, role);
        Instant now = now();

        DisabledPrincipal disabled = admin.disablePrincipal(name, "decommissioned");

        assertThat(disabled.revokedCount()).isEqualTo(2);
        assertThat(disabled.principal().disabled()).isTrue();
        assertThat(disabled.principal().disabledAt()).isEqualTo(now);
        assertThat(admin.getPrincipal(name)).isEqualTo(disabled.principal());
        assertThat(admin.getToken(first.id()).revokeReason()).isEqualTo("decommissioned");
        assertThat(admin.verify(first.secret(), null, null).code()).isEqualTo("REVOKED");
        KeygateApiException refused = catchThrowableOfType(KeygateApiException.class, () -> mint(name, role));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.detail()).contains("is disabled");

        Principal enabled = admin.enablePrincipal(name);

        assertThat(enabled.disabled()).isFalse();
        assertThat(enabled.disabledAt()).isNull();
        assertThat(admin.verify(mint(name, role).secret(), null, null).code()).isEqualTo("VALID");
        assertThat(admin.verify(first.secret(), null, null).code()).isEqualTo("REVOKED");
    }

    @Test
    void disablePrincipalWhenDisabledAlreadyThenRevokesNothingMoreAndEnableTwiceIsHarmless() {
        String name = principal("disabled-twice");
        DisabledPrincipal first = admin.disablePrincipal(name, null);

        DisabledPrincipal second = admin.disablePrincipal(name, null);

        assertThat(second.revokedCount()).isZero();
        assertThat(second.principal()).isEqualTo(first.principal());
        assertThat(admin.enablePrincipal(name)).isEqualTo(admin.enablePrincipal(name));
    }

    // ---- base URI ------------------------------------------------------------------------------------------

    @Test
    void callWhenBaseUriEndsWithASlashThenPathsAreNotDoubled() {
        URI slashed = URI.create(server.baseUri() + "/");
        try (KeygateClient c = KeygateClient.builder().baseUri(slashed).token(server.adminToken()).build()) {

            assertThat(c.listRoles()).extracting(Role::name).contains("keygate-admin");
        }
    }

    @Test
    void callWhenBaseUriHasAPathThenRequestsGoUnderThatPrefix() {
        URI prefixed = URI.create(server.baseUri() + "/keygate/");
        try (KeygateClient c = KeygateClient.builder().baseUri(prefixed).token(server.adminToken()).build()) {

            // Keygate serves no prefix itself, so a kept prefix shows as an unknown route.
            KeygateApiException e = catchThrowableOfType(KeygateApiException.class, c::listRoles);

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo("not_found");
            assertThat(e.detail()).isEqualTo("no such route");
        }
    }
}
