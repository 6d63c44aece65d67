package dev.keygate.core.token;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionSet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixtures for tokens: {@link #token()} returns a builder for a live, unrevoked {@code billing-svc} token
 * in the {@code live} environment, created at {@link #CREATED_AT} and expiring {@link #DEFAULT_TTL} later,
 * whose view grants {@code billing.invoices:read}. Tests change only what they are about.
 */
public final class TestTokens {

    /** A fixed creation time, so that tests compute every other instant from it and never read a clock. */
    public static final Instant CREATED_AT = Instant.parse("2026-11-22T09:15:00Z");
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Instant EXPIRES_AT = CREATED_AT.plus(DEFAULT_TTL);

    private TestTokens() {
    }

    public static Builder token() {
        return new Builder();
    }

    /** A mutable builder; {@link #build()} and {@link #view()} may be called any number of times. */
    public static final class Builder {

        private String id = "tok_0123456789abcdefABCD";
        private String principal = "billing-svc";
        private List<String> roles = List.of("billing-reader");
        private String environment = Environments.DEFAULT;
        private String name;
        private Instant createdAt = CREATED_AT;
        private String createdBy = "tok_ADMIN0000000000000";
        private Instant expiresAt = EXPIRES_AT;
        private Instant revokedAt;
        private String revokedBy;
        private String revokeReason;
        private Instant lastUsedAt;
        private String parentId;
        private Rotation rotation = Rotation.NONE;
        private TokenLimits limits = TokenLimits.NONE;
        private List<Permission> permissions = List.of(Permission.parse("billing.invoices:read"));

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder principal(String principal) {
            this.principal = principal;
            return this;
        }

        public Builder roles(String... roles) {
            this.roles = List.of(roles);
            return this;
        }

        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder createdBy(String createdBy) {
            this.createdBy = createdBy;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder expiresAtMillis(long expiresAtMillis) {
            return expiresAt(Instant.ofEpochMilli(expiresAtMillis));
        }

        /** Revokes the token at {@code revokedAt}, by a fixed admin token, with a reason. */
        public Builder revokedAt(Instant revokedAt) {
            this.revokedAt = revokedAt;
            this.revokedBy = revokedAt == null ? null : "tok_ADMIN0000000000000";
            this.revokeReason = revokedAt == null ? null : "leaked in a log";
            return this;
        }

        public Builder revokedAtMillis(long revokedAtMillis) {
            return revokedAt(Instant.ofEpochMilli(revokedAtMillis));
        }

        public Builder lastUsedAt(Instant lastUsedAt) {
            this.lastUsedAt = lastUsedAt;
            return this;
        }

        public Builder parentId(String parentId) {
            this.parentId = parentId;
            return this;
        }

        public Builder rotation(Rotation rotation) {
            this.rotation = rotation;
            return this;
        }

        /** Rotated to a fixed successor id, working until {@code endsAt}. */
        public Builder rotatedUntil(Instant endsAt) {
            return rotation(new Rotation(null, "tok_SUCCESSOR000000000", endsAt, null));
        }

        public Builder limits(TokenLimits limits) {
            this.limits = limits;
            return this;
        }

        /** The permissions the view grants (the union of the roles' permissions), as permission texts. */
        public Builder permissions(String... permissions) {
            List<Permission> parsed = new ArrayList<>();
            for (String p : permissions) {
                parsed.add(Permission.parse(p));
            }
            this.permissions = List.copyOf(parsed);
            return this;
        }

        public Token build() {
            return new Token(id, principal, roles, environment, name, createdAt, createdBy, expiresAt, revokedAt,
                    revokedBy, revokeReason, lastUsedAt, parentId, rotation, limits, null);
        }

        /** The verify path's view of the token built so far. */
        public TokenView view() {
            return TokenView.of(build(), PermissionSet.of(permissions));
        }
    }
}
