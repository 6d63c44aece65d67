package dev.keygate.client;

import java.util.Map;
import java.util.Objects;

/**
 * What to verify; build one with {@link #builder()}, or use {@link KeygateClient#verify(String, String, String)}
 * for the common case. The server checks each field and answers a 400 naming a bad one.
 *
 * <p>{@link #toString()} leaves the token out, so that logging this object does not leak it.
 *
 * @param token       the token to check; required
 * @param permission  the permission the request needs, or {@code null} to check only that the token is usable
 * @param environment the environment the request is for, or {@code null} not to check it
 * @param cost        how many uses the request spends from a token with {@code max_uses}, 0 to 1,000,000 (0
 *                    checks without spending), or {@code null} for 1
 * @param ip          the address the request came from (IPv4 or IPv6, no zone), sent as {@code context.ip}, or
 *                    {@code null}; a token with {@code allowed_cidrs} is refused ({@code IP_NOT_ALLOWED}) without it
 * @param resource    attributes of the resource the request is for, as plain Java values (maps, lists, strings,
 *                    numbers, booleans, nulls), sent as {@code context.resource}, which grant conditions read as
 *                    {@code resource}; an unmodifiable copy, or {@code null} for none
 */
public record VerifyRequest(String token, String permission, String environment, Long cost, String ip,
                            Map<String, Object> resource) {

    public VerifyRequest {
        Objects.requireNonNull(token, "token");
        resource = Json.objectCopy(resource);
    }

    /** A request without resource attributes. Kept so that code written against earlier versions still compiles. */
    public VerifyRequest(String token, String permission, String environment, Long cost, String ip) {
        this(token, permission, environment, cost, ip, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Describes the request; the token is shown as {@code ***}. */
    @Override
    public String toString() {
        return "VerifyRequest[token=***, permission=" + permission + ", environment=" + environment + ", cost=" + cost
                + ", ip=" + ip + ", resource=" + resource + "]";
    }

    /** Builds a {@link VerifyRequest}. */
    public static final class Builder {
        private String token;
        private String permission;
        private String environment;
        private Long cost;
        private String ip;
        private Map<String, Object> resource;

        private Builder() {
        }

        /** The token to check. Required. */
        public Builder token(String value) {
            this.token = value;
            return this;
        }

        public Builder permission(String value) {
            this.permission = value;
            return this;
        }

        public Builder environment(String value) {
            this.environment = value;
            return this;
        }

        /** How many uses the request spends ({@code 0} checks without spending); {@code null} for the default, 1. */
        public Builder cost(Long value) {
            this.cost = value;
            return this;
        }

        /** The address the request came from, such as {@code 10.1.2.3} or {@code 2001:db8::7}. */
        public Builder ip(String value) {
            this.ip = value;
            return this;
        }

        /**
         * Attributes of the resource the request is for, such as {@code Map.of("owner", "billing-svc")}, which grant
         * conditions read as {@code resource}; copied (the top level). {@code null} for none.
         */
        public Builder resource(Map<String, ?> value) {
            this.resource = Json.objectCopy(value);
            return this;
        }

        /** @throws NullPointerException if no token was given */
        public VerifyRequest build() {
            return new VerifyRequest(token, permission, environment, cost, ip, resource);
        }
    }
}
