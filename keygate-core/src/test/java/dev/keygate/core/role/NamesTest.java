package dev.keygate.core.role;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"billing-reader", "admin", "a", "0", "role_1", "x-", "9lives"})
    void isValidRoleWhenMatchesRuleThenTrue(String name) {
        assertThat(Names.isValidRole(name)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Billing", "billing reader", "-admin", "_admin", "billing.reader", "a@b", "rôle",
            "admin\n", " admin"})
    void isValidRoleWhenBreaksRuleThenFalse(String name) {
        assertThat(Names.isValidRole(name)).isFalse();
    }

    @Test
    void isValidRoleWhenLengthAtLimitThenTrueAndOneMoreThenFalse() {
        assertThat(Names.isValidRole("r".repeat(63))).isTrue();
        assertThat(Names.isValidRole("r".repeat(64))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing-svc", "alice@example.com", "ci.github", "a", "svc_1", "0x"})
    void isValidPrincipalWhenMatchesRuleThenTrue(String name) {
        assertThat(Names.isValidPrincipal(name)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Alice@example.com", ".hidden", "@alice", "-svc", "_svc", "billing svc", "a/b", "a+b@x",
            "svc\n"})
    void isValidPrincipalWhenBreaksRuleThenFalse(String name) {
        assertThat(Names.isValidPrincipal(name)).isFalse();
    }

    @Test
    void isValidPrincipalWhenLengthAtLimitThenTrueAndOneMoreThenFalse() {
        assertThat(Names.isValidPrincipal("p".repeat(128))).isTrue();
        assertThat(Names.isValidPrincipal("p".repeat(129))).isFalse();
    }

    @Test
    void rulesWhenReadThenQuoteTheirPatterns() {
        assertThat(Names.ROLE_RULE).isEqualTo("must match " + Names.ROLE.pattern());
        assertThat(Names.PRINCIPAL_RULE).isEqualTo("must match " + Names.PRINCIPAL.pattern());
    }

    @Test
    void isValidPrincipalWhenValidRoleNameThenAlsoValid() {
        for (String name : new String[] {"billing-reader", "a", "x_y-z", "r".repeat(63)}) {
            assertThat(Names.isValidRole(name)).isTrue();
            assertThat(Names.isValidPrincipal(name)).as(name).isTrue();
        }
    }
}
