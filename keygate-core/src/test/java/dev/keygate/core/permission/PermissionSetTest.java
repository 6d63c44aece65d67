package dev.keygate.core.permission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PermissionSetTest {

    private static List<Permission> parse(String... texts) {
        List<Permission> permissions = new ArrayList<>();
        for (String text : texts) {
            permissions.add(Permission.parse(text));
        }
        return permissions;
    }

    private static PermissionSet setOf(String... texts) {
        return PermissionSet.of(parse(texts));
    }

    @Test
    void coversWhenConcreteGrantRequestedExactlyThenTrue() {
        PermissionSet set = setOf("billing.invoices:read", "shipping.labels:write");

        assertThat(set.covers(Permission.parse("billing.invoices:read"))).isTrue();
        assertThat(set.covers(Permission.parse("shipping.labels:write"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing.invoices:write", "billing:read", "billing.invoices.lines:read", "billing.*:read",
            "billing.invoices:*", "*:*"})
    void coversWhenOnlyConcreteGrantsAndRequestDiffersThenFalse(String requested) {
        PermissionSet set = setOf("billing.invoices:read", "billing.invoices.lines:write");

        assertThat(set.covers(Permission.parse(requested))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing.invoices:read", "billing.invoices.lines:read", "billing.x.*:read",
            "shipping.labels:write", "shipping.labels:delete", "billing.*:read"})
    void coversWhenWildcardGrantMatchesThenTrue(String requested) {
        PermissionSet set = setOf("audit:read", "billing.*:read", "shipping.labels:*");

        assertThat(set.covers(Permission.parse(requested))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing:read", "billing.invoices:write", "shipping.labels.x:read", "billing.*:*",
            "*:read", "audit:write"})
    void coversWhenNoGrantMatchesThenFalse(String requested) {
        PermissionSet set = setOf("audit:read", "billing.*:read", "shipping.labels:*");

        assertThat(set.covers(Permission.parse(requested))).isFalse();
    }

    @Test
    void coversWhenSetHoldsStarStarThenEverythingIsCovered() {
        PermissionSet set = setOf("audit:read", "*:*");

        assertThat(set.coversAll(parse("a:b", "billing.invoices.lines:delete", "billing.*:*", "*:read", "*:*")))
                .isTrue();
    }

    @Test
    void coversAllWhenEveryRequestCoveredByDifferentGrantsThenTrue() {
        PermissionSet set = setOf("billing.invoices:read", "shipping.*:*");

        assertThat(set.coversAll(parse("billing.invoices:read", "shipping.labels:write", "shipping.a.b:read")))
                .isTrue();
    }

    @Test
    void coversAllWhenOneRequestNotCoveredThenFalse() {
        PermissionSet set = setOf("billing.invoices:read", "shipping.*:*");

        assertThat(set.coversAll(parse("billing.invoices:read", "billing.invoices:write", "shipping.labels:write")))
                .isFalse();
    }

    @Test
    void coversAllWhenNothingRequestedThenTrue() {
        assertThat(setOf("billing:read").coversAll(List.of())).isTrue();
        assertThat(PermissionSet.empty().coversAll(List.of())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing:read", "billing.*:read", "*:*"})
    void coversWhenSetEmptyThenFalse(String requested) {
        assertThat(PermissionSet.empty().covers(Permission.parse(requested))).isFalse();
        assertThat(PermissionSet.of(List.of()).covers(Permission.parse(requested))).isFalse();
    }

    /** docs/permissions.md, "Verifying a permission, or a pattern": a token granted these two. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "billing.invoices:read,  true",
            "billing.invoices:*,     true",
            "billing.payments:read,  true",
            "billing.payments:*,     false",
            "billing.*:read,         false",
            "billing:read,           false",
    })
    void coversWhenVerifyTableFromPermissionDocsThenAsDocumented(String asked, boolean allowed) {
        PermissionSet set = setOf("billing.invoices:*", "billing.payments:read");

        assertThat(set.covers(Permission.parse(asked))).isEqualTo(allowed);
    }

    /** docs/permissions.md, "No escalation", worked example: what billing-token-issuer may hand out. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "billing-reader       | billing.invoices:read, billing.payments:read                  | true",
            "invoice-writer       | billing.invoices:read, billing.invoices:write                 | true",
            "refunds-writer       | billing.invoices:read, billing.refunds:write                  | false",
            "billing-admin        | billing.*:*                                                   | false",
            "auditor              | keygate.audit:read                                            | false",
            "billing-token-issuer | keygate.tokens:create, billing.invoices:read, "
                    + "billing.invoices:write, billing.payments:read | true",
    })
    void coversAllWhenEscalationExampleFromPermissionDocsThenAsDocumented(String role, String permissions,
                                                                          boolean mayGive) {
        PermissionSet caller = setOf("keygate.tokens:create", "billing.invoices:read", "billing.invoices:write",
                "billing.payments:read");

        assertThat(caller.coversAll(parse(permissions.split(",\\s*")))).as(role).isEqualTo(mayGive);
    }

    @Test
    void coversWhenKeygateAdminThenEveryBuiltInPermissionButNothingOutsideKeygate() {
        PermissionSet admin = setOf("keygate.*:*");

        assertThat(admin.coversAll(parse("keygate.roles:read", "keygate.roles:write", "keygate.roles:bind",
                "keygate.principals:read", "keygate.principals:write", "keygate.tokens:create", "keygate.tokens:read",
                "keygate.tokens:revoke", "keygate.audit:read", "keygate.*:read"))).isTrue();
        assertThat(admin.covers(Permission.parse("billing.invoices:read"))).isFalse();
        assertThat(admin.covers(Permission.parse("*:*"))).isFalse();
    }

    @Test
    void ofWhenNoPermissionsThenEmpty() {
        assertThat(PermissionSet.of(List.of()).isEmpty()).isTrue();
        assertThat(PermissionSet.of(List.of()).permissions()).isEmpty();
        assertThat(PermissionSet.empty().isEmpty()).isTrue();
        assertThat(setOf("a:b").isEmpty()).isFalse();
    }

    @Test
    void ofWhenDuplicatesThenDroppedAndFirstOrderKept() {
        PermissionSet set = setOf("c:read", "a.*:read", "b:write", "c:read", "a.*:read", "*:*", "b:write");

        assertThat(set.permissions()).extracting(Permission::toString)
                .containsExactly("c:read", "a.*:read", "b:write", "*:*");
        assertThat(set.toString()).isEqualTo("[c:read, a.*:read, b:write, *:*]");
    }

    @Test
    void ofWhenSourceListChangesLaterThenSetIsUnaffected() {
        List<Permission> source = parse("billing:read");
        PermissionSet set = PermissionSet.of(source);

        source.add(Permission.parse("billing:write"));

        assertThat(set.permissions()).extracting(Permission::toString).containsExactly("billing:read");
        assertThat(set.covers(Permission.parse("billing:write"))).isFalse();
    }

    @Test
    void permissionsWhenModifiedThenThrows() {
        PermissionSet set = setOf("billing:read");

        assertThatThrownBy(() -> set.permissions().add(Permission.parse("billing:write")))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
