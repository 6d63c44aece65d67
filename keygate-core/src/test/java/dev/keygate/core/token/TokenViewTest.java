package dev.keygate.core.token;

import dev.keygate.core.permission.Permission;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenViewTest {

    @Test
    void ofWhenNotRevokedThenRevokedMillisIsSentinel() {
        TokenView view = TestTokens.token().view();

        assertThat(view.revokedAtMillis()).isEqualTo(TokenView.NOT_REVOKED).isEqualTo(Long.MAX_VALUE);
        assertThat(view.expiresAtMillis()).isEqualTo(TestTokens.EXPIRES_AT.toEpochMilli());
    }

    @Test
    void ofWhenRevokedThenRevokedMillisFromToken() {
        Instant revokedAt = Instant.parse("2026-11-22T10:00:00.123Z");

        TokenView view = TestTokens.token().revokedAt(revokedAt).view();

        assertThat(view.revokedAtMillis()).isEqualTo(revokedAt.toEpochMilli());
    }

    @Test
    void accessorsWhenViewBuiltThenDelegateToToken() {
        TokenView view = TestTokens.token()
                .id("tok_AAAAAAAAAAAAAAAAAAAA")
                .principal("shipping-svc")
                .roles("shipping-writer", "audit-reader")
                .environment("staging")
                .permissions("shipping.*:write")
                .view();

        assertThat(view.id()).isEqualTo("tok_AAAAAAAAAAAAAAAAAAAA");
        assertThat(view.principal()).isEqualTo("shipping-svc");
        assertThat(view.roles()).containsExactly("shipping-writer", "audit-reader");
        assertThat(view.environment()).isEqualTo("staging");
        assertThat(view.expiresAt()).isEqualTo(TestTokens.EXPIRES_AT);
        assertThat(view.permissions().permissions()).containsExactly(Permission.parse("shipping.*:write"));
    }

    @Test
    void tokenWhenRolesListChangesLaterThenTokenIsUnaffected() {
        List<String> roles = new ArrayList<>(List.of("billing-reader"));
        Token token = new Token("tok_AAAAAAAAAAAAAAAAAAAA", "billing-svc", roles, "live", null,
                TestTokens.CREATED_AT, null, TestTokens.EXPIRES_AT, null, null, null, null, null, Rotation.NONE, null, null);

        roles.add("admin");

        assertThat(token.roles()).containsExactly("billing-reader");
        assertThatThrownBy(() -> token.roles().add("admin")).isInstanceOf(UnsupportedOperationException.class);
    }
}
