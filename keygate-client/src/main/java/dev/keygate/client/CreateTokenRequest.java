package dev.keygate.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to ask for when creating a token; build one with {@link #builder()}. The server checks every field (see
 * {@code docs/api.md}, "Creating tokens") and answers a 400 naming each bad one.
 *
 * @param principal    the principal to issue it to; required
 * @param roles        1 to 20 role names; required
 * @param name         a name for people, or {@code null}
 * @param environment  the environment, or {@code null} for {@code live}
 * @param ttl          the lifetime as {@code 90s}, {@code 30m}, {@code 24h} or {@code 7d}, or {@code null}
 * @param expiresAt    the expiry time instead of a {@code ttl}, or {@code null}; at most one of the two
 * @param permanent    {@code true} for a token that never expires (instead of a {@code ttl} or {@code expiresAt}),
 *                     else {@code null}
 * @param child        {@code true} to mint the token as a child of the calling token, else {@code null}
 * @param rotateEvery  how often the token should be rotated, as for {@code ttl}, or {@code null}
 * @param maxUses      how many uses the token may be verified for (each verification spends its cost), 1 to
 *                     10^12, or {@code null} for unlimited
 * @param rateLimit    how many verifications per window, or {@code null} for unlimited
 * @param allowedCidrs the networks the token may be used from ({@code 10.0.0.0/8}, {@code 2001:db8::/32},
 *                     {@code 192.0.2.7}), 1 to 100, or {@code null} for anywhere
 * @param metadata     free-form JSON object as plain Java values, at most 4 KiB serialized, shown with the token and
 *                     carried by rotation, which grant conditions read as {@code token.metadata}; an unmodifiable
 *                     copy, or {@code null} for none
 */
public record CreateTokenRequest(
        String principal,
        List<String> roles,
        String name,
        String environment,
        String ttl,
        Instant expiresAt,
        Boolean permanent,
        Boolean child,
        String rotateEvery,
        Long maxUses,
        RateLimit rateLimit,
        List<String> allowedCidrs,
        Map<String, Object> metadata) {

    public CreateTokenRequest {
        Objects.requireNonNull(principal, "principal");
        roles = List.copyOf(Objects.requireNonNull(roles, "roles"));
        allowedCidrs = allowedCidrs == null ? null : List.copyOf(allowedCidrs);
        metadata = Json.objectCopy(metadata);
    }

    /** A request without metadata. Kept so that code written against earlier versions still compiles. */
    public CreateTokenRequest(String principal, List<String> roles, String name, String environment, String ttl,
                              Instant expiresAt, Boolean permanent, Boolean child, String rotateEvery, Long maxUses,
                              RateLimit rateLimit, List<String> allowedCidrs) {
        this(principal, roles, name, environment, ttl, expiresAt, permanent, child, rotateEvery, maxUses, rateLimit,
                allowedCidrs, null);
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
        private boolean permanent;
        private boolean child;
        private String rotateEvery;
        private Long maxUses;
        private RateLimit rateLimit;
        private final List<String> allowedCidrs = new ArrayList<>();
        private Map<String, Object> metadata;

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
            this.ttl = value == null ? null : DurationText.of(value, "ttl", false);
            return this;
        }

        public Builder expiresAt(Instant value) {
            this.expiresAt = value;
            return this;
        }

        /**
         * A token that never expires. The server allows it only when started with {@code --allow-permanent-tokens},
         * to a caller holding {@code keygate.tokens:create-permanent}, and under no role with a {@code max_ttl}.
         */
        public Builder permanent(boolean value) {
            this.permanent = value;
            return this;
        }

        /**
         * A child of the calling token: it holds no more than the caller's own permissions, does not outlive it,
         * and is revoked with it.
         */
        public Builder child(boolean value) {
            this.child = value;
            return this;
        }

        /** How often the token should be rotated, as for {@link #ttl(String)}; once due, it is listed as such. */
        public Builder rotateEvery(String value) {
            this.rotateEvery = value;
            return this;
        }

        /**
         * How often the token should be rotated, sent like {@link #ttl(Duration)}.
         *
         * @throws IllegalArgumentException if it is shorter than one second or not a whole number of seconds
         */
        public Builder rotateEvery(Duration value) {
            this.rotateEvery = value == null ? null : DurationText.of(value, "rotateEvery", false);
            return this;
        }

        /**
         * How many uses the token may be verified for; each verification spends its cost (1 unless it says
         * otherwise), and at zero verification answers {@code USAGE_EXCEEDED}. {@code null} for unlimited.
         */
        public Builder maxUses(Long value) {
            this.maxUses = value;
            return this;
        }

        /**
         * At most so many verifications per window; over it, verification answers {@code RATE_LIMITED}.
         * {@code null} for unlimited.
         */
        public Builder rateLimit(RateLimit value) {
            this.rateLimit = value;
            return this;
        }

        /** At most {@code limit} verifications per {@code window} ({@code 1m}, as for {@link #ttl(String)}). */
        public Builder rateLimit(long limit, String window) {
            return rateLimit(new RateLimit(limit, window));
        }

        /**
         * Adds one network the token may be used from: a CIDR range or a single address. Once any is given,
         * verification needs the request's address inside one of them, else it answers {@code IP_NOT_ALLOWED}.
         */
        public Builder allowedCidr(String value) {
            allowedCidrs.add(Objects.requireNonNull(value, "allowedCidr"));
            return this;
        }

        /** Replaces the networks the token may be used from; an empty list for anywhere. */
        public Builder allowedCidrs(List<String> values) {
            allowedCidrs.clear();
            values.forEach(this::allowedCidr);
            return this;
        }

        /**
         * Free-form metadata for the token, such as {@code Map.of("team", "billing")}: a JSON object as plain Java
         * values (maps, lists, strings, numbers, booleans, nulls), at most 4 KiB serialized. Copied (the top level);
         * {@code null} or empty for none.
         */
        public Builder metadata(Map<String, ?> values) {
            this.metadata = values == null || values.isEmpty() ? null : Json.objectCopy(values);
            return this;
        }

        /**
         * @throws NullPointerException     if no principal was given
         * @throws IllegalStateException    if more than one of a ttl, an expiry time and permanent were given
         */
        public CreateTokenRequest build() {
            if ((ttl != null ? 1 : 0) + (expiresAt != null ? 1 : 0) + (permanent ? 1 : 0) > 1) {
                throw new IllegalStateException("give a ttl, an expiry time or permanent, at most one of them");
            }
            return new CreateTokenRequest(principal, roles, name, environment, ttl, expiresAt,
                    permanent ? Boolean.TRUE : null, child ? Boolean.TRUE : null, rotateEvery, maxUses, rateLimit,
                    allowedCidrs.isEmpty() ? null : allowedCidrs, metadata);
        }
    }
}
