package dev.keygate.core.hygiene;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.policy.Effect;
import dev.keygate.core.policy.Grant;
import dev.keygate.core.role.Role;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeastPrivilegeTest {

    private static final Instant T = Instant.parse("2026-11-22T00:00:00Z");

    @Test
    void analyseWhenWildcardUsedOnlyAsOnePermissionThenBroaderAndSuggestsThatPermission() {
        LeastPrivilege.Analysis a = LeastPrivilege.analyse(p("docs:*"), p("docs:read", "docs:read"));

        assertThat(a.overScoped()).isTrue();
        assertThat(a.unexercised()).isEmpty();
        assertThat(a.broader()).containsExactly(new LeastPrivilege.Broader(Permission.parse("docs:*"),
                p("docs:read")));
        assertThat(a.exercised()).isEqualTo(p("docs:read"));
    }

    @Test
    void analyseWhenAGrantCoversNothingUsedThenItIsUnexercised() {
        LeastPrivilege.Analysis a = LeastPrivilege.analyse(p("docs:read", "billing:write", "billing:read"),
                p("docs:read", "billing:read"));

        assertThat(a.unexercised()).isEqualTo(p("billing:write"));
        assertThat(a.broader()).isEmpty();
        assertThat(a.exercised()).isEqualTo(p("billing:read", "docs:read"));
    }

    @Test
    void analyseWhenEveryGrantUsedAsGrantedThenNotOverScoped() {
        LeastPrivilege.Analysis a = LeastPrivilege.analyse(p("docs:read", "docs.*:*"), p("docs.*:*", "docs:read",
                "docs.a:read"));

        assertThat(a.overScoped()).isFalse();
        assertThat(a.exercised()).isEqualTo(p("docs.*:*", "docs:read"));
    }

    @Test
    void analyseWhenUsedPermissionNoLongerGrantedThenItIsLeftOut() {
        LeastPrivilege.Analysis a = LeastPrivilege.analyse(p("docs:read"), p("docs:read", "docs:write"));

        assertThat(a.exercised()).isEqualTo(p("docs:read"));
        assertThat(a.overScoped()).isFalse();
    }

    @Test
    void analyseWhenNothingUsedThenEveryGrantUnexercisedAndNothingSuggested() {
        LeastPrivilege.Analysis a = LeastPrivilege.analyse(p("docs:*", "billing:read"), List.of());

        assertThat(a.unexercised()).isEqualTo(p("billing:read", "docs:*"));
        assertThat(a.exercised()).isEmpty();
    }

    @Test
    void minimalWhenOnePermissionCoversAnotherThenOnlyTheWiderStays() {
        assertThat(LeastPrivilege.minimal(p("docs:read", "docs:*", "a.b:read", "a.*:read", "docs:*")))
                .isEqualTo(p("a.*:read", "docs:*"));
    }

    @Test
    void narrowestRoleWhenAnExactRoleExistsThenItWinsOverNarrowerLookingOnes() {
        List<Role> roles = List.of(role("docs-all", "docs:*"), role("docs-reader", "docs:read"),
                role("docs-read-write", "docs:read", "docs:write"), role("everything", "*:*"));

        assertThat(LeastPrivilege.narrowestRole(roles, p("docs:read"), p("docs:*", "billing:read"), "live"))
                .contains(new LeastPrivilege.RoleMatch("docs-reader", true));
    }

    @Test
    void narrowestRoleWhenNoExactRoleThenFewestExtraAllowsThenFewestWildcards() {
        List<Role> roles = List.of(role("docs-all", "docs:*"), role("docs-rw", "docs:read", "docs:write"),
                role("docs-rwl", "docs:read", "docs:write", "docs:list"));

        // docs-all and docs-rw each allow one permission beyond docs:read; docs-rw has no wildcard.
        assertThat(LeastPrivilege.narrowestRole(roles, p("docs:read"), p("*:*"), "live"))
                .contains(new LeastPrivilege.RoleMatch("docs-rw", false));
    }

    @Test
    void narrowestRoleWhenRoleIsWhatTheTokenHoldsOrWiderThenNone() {
        List<Role> roles = List.of(role("docs-all", "docs:*"), role("everything", "*:*"));

        assertThat(LeastPrivilege.narrowestRole(roles, p("docs:read"), p("docs:*"), "live")).isEmpty();
    }

    @Test
    void narrowestRoleWhenRoleDeniesANeededPermissionOrExcludesTheEnvironmentThenSkipped() {
        Role denying = new Role("docs-deny", "", List.of(Grant.allow(Permission.parse("docs:read")),
                new Grant(Permission.parse("docs:*"), Effect.DENY, "request.time.getHours() > 20")), null, null, T, T);
        Role staging = new Role("docs-staging", "", List.of(Grant.allow(Permission.parse("docs:read"))), null,
                List.of("staging"), T, T);

        assertThat(LeastPrivilege.narrowestRole(List.of(denying, staging), p("docs:read"), p("docs:*", "a:b"),
                "live")).isEmpty();
        assertThat(LeastPrivilege.narrowestRole(List.of(denying, staging), p("docs:read"), p("docs:*", "a:b"),
                "staging")).contains(new LeastPrivilege.RoleMatch("docs-staging", true));
    }

    @Test
    void narrowestRoleWhenTheNeededPermissionIsOnlyConditionallyAllowedThenSkipped() {
        Role conditional = new Role("docs-cond", "", List.of(new Grant(Permission.parse("docs:read"), Effect.ALLOW,
                "request.ip.inCidr('10.0.0.0/8')")), null, null, T, T);

        assertThat(LeastPrivilege.narrowestRole(List.of(conditional), p("docs:read"), p("docs:*"), "live")).isEmpty();
    }

    @Test
    void narrowestRoleWhenNothingNeededThenNone() {
        assertThat(LeastPrivilege.narrowestRole(List.of(role("docs-reader", "docs:read")), List.of(), p("docs:*"),
                "live")).isEmpty();
    }

    private static List<Permission> p(String... texts) {
        return Arrays.stream(texts).map(Permission::parse).toList();
    }

    private static Role role(String name, String... permissions) {
        return Role.allowing(name, "", p(permissions), null, null, T, T);
    }
}
