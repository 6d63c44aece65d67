package dev.keygate.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to ask for when creating a token; build one with {@link #builder()}. The server checks every field (see
 * {@code docs/api.md}, "Creating tokens") and answers a 400 naming each bad one.
 *
 * @param principal   the principal to issue it to; required
 * @param roles       1 to 20 role names; required
 * @param name        a name for people, or {@code null}
 * @param environment the environment, or {@code null} for {@code live}
 * @param ttl         the lifetime as {@code 90s}, {@code 30m}, {@code 24h} or {@code 7d}, or {@code null}
 * @param expiresAt   the expiry time instead of a {@code ttl}, or {@code null}; at most one of the two
 */
public record CreateTokenRequest(
        String principal,
        List<String> roles,
        String name,
        String environment,
        String ttl,
        Instant expiresAt) {

    public CreateTokenRequest {
        Objects.requireNonNull(principal, "principal");
        roles = List.copyOf(Objects.requireNonNull(roles, "roles"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CreateTokenRequest}. */
    public static final class Builder {
        private String principal;
        private final List<String> roles = new ArrayList<>();
        private String name;
        private String environment;
        private String ttl;
        private Instant expiresAt;

        private Builder() {
        }

        public Builder principal(String value) {
            this.principal = value;
            return this;
        }

        /** Adds one role. */
        public Builder role(String value) {
            roles.add(Objects.requireNonNull(value, "role"));
            return this;
        }

        /** Replaces the roles. */
        public Builder roles(List<String> values) {
            roles.clear();
            values.forEach(this::role);
            return this;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder environment(String value) {
            this.environment = value;
            return this;
        }

        /** The lifetime as the server reads it: a whole number and {@code s}, {@code m}, {@code h} or {@code d}. */
        public Builder ttl(String value) {
            this.ttl = value;
            return this;
        }

        /**
         * The lifetime, sent in the largest unit that divides it exactly (for example {@code 36h}).
         *
         * @throws IllegalArgumentException if it is shorter than one second or not a whole number of seconds
         */
        public Builder ttl(Duration value) {
            if (value == null) {
                this.ttl = null;
                return this;
            }
            if (value.toSeconds() < 1 || value.toNanosPart() != 0) {
                throw new IllegalArgumentException("ttl must be a positive whole number of seconds, was " + value);
            }
            long s = value.toSeconds();
            if (s % 86_400 == 0) {
                this.ttl = s / 86_400 + "d";
            } else if (s % 3_600 == 0) {
                this.ttl = s / 3_600 + "h";
            } else if (s % 60 == 0) {
                this.ttl = s / 60 + "m";
            } else {
                this.ttl = s + "s";
            }
            return this;
        }

        public Builder expiresAt(Instant value) {
            this.expiresAt = value;
            return this;
        }

        /**
         * @throws NullPointerException     if no principal was given
         * @throws IllegalStateException    if both a ttl and an expiry time were given
         */
        public CreateTokenRequest build() {
            if (ttl != null && expiresAt != null) {
                throw new IllegalStateException("give a ttl or an expiry time, not both");
            }
            return new CreateTokenRequest(principal, roles, name, environment, ttl, expiresAt);
        }
    }
}
