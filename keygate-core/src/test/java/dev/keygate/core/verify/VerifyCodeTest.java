package dev.keygate.core.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class VerifyCodeTest {

    /** The table of docs/api.md, section Verify. */
    @ParameterizedTest(name = "{0}: valid={1} allowed={2}")
    @CsvSource({
            "VALID,                true,  true,  allow",
            "FORBIDDEN,            true,  false, deny",
            "EXPIRED,              false, false, deny",
            "REVOKED,              false, false, deny",
            "ROTATED,              false, false, deny",
            "ENVIRONMENT_MISMATCH, false, false, deny",
            "IP_NOT_ALLOWED,       false, false, deny",
            "USAGE_EXCEEDED,       false, false, deny",
            "RATE_LIMITED,         false, false, deny",
            "NOT_FOUND,            false, false, deny",
    })
    void flagsWhenAnyCodeThenAsDocumented(VerifyCode code, boolean valid, boolean allowed, String decision) {
        assertThat(code.valid()).isEqualTo(valid);
        assertThat(code.allowed()).isEqualTo(allowed);
        assertThat(code.decision()).isEqualTo(decision);
        // Only VALID and FORBIDDEN responses carry token_id, principal, roles, permissions.
        assertThat(code.disclosesToken()).isEqualTo(valid);
    }

    @ParameterizedTest
    @EnumSource(VerifyCode.class)
    void allowedWhenTrueThenAlsoValid(VerifyCode code) {
        if (code.allowed()) {
            assertThat(code.valid()).isTrue();
        }
        assertThat(code.decision()).isIn("allow", "deny");
    }

    @Test
    void valuesWhenListedThenTenCodesAndOnlyValidAllows() {
        assertThat(VerifyCode.values()).hasSize(10);
        assertThat(VerifyCode.values()).filteredOn(VerifyCode::allowed).containsExactly(VerifyCode.VALID);
    }
}
