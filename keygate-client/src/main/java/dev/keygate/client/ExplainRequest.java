package dev.keygate.client;

import java.util.Map;

/**
 * What to explain with {@link KeygateClient#explain(ExplainRequest)}: a token, by id or by secret, and the request
 * as {@link KeygateClient#verify(VerifyRequest)} would get it. Build one with {@link #builder()}.
 *
 * <p>{@link #toString()} leaves the token out, so that logging this object does not leak it.
 *
 * @param tokenId     the token's id ({@code tok_...}), or {@code null} when {@code token} is given
 * @param token       the token's secret, or {@code null} when {@code tokenId} is given
 * @param permission  the permission to explain, or {@code null} to explain only whether the token is usable
 * @param environment the environment the request is for, or {@code null} not to check it
 * @param ip          the address the request came from, sent as {@code context.ip}, or {@code null}
 * @param resource    attributes of the resource the request is for, sent as {@code context.resource}; an
 *                    unmodifiable copy, or {@code null} for none
 */
public record ExplainRequest(String tokenId, String token, String permission, String environment, String ip,
                             Map<String, Object> resource) {

    public ExplainRequest {
        resource = Json.objectCopy(resource);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Describes the request; a token secret is shown as {@code ***}. */
    @Override
    public String toString() {
        return "ExplainRequest[tokenId=" + tokenId + ", token=" + (token == null ? null : "***") + ", permission="
                + permission + ", environment=" + environment + ", ip=" + ip + ", resource=" + resource + "]";
    }

    /** Builds an {@link ExplainRequest}: exactly one of {@link #tokenId(String)} and {@link #token(String)}. */
    public static final class Builder {
        private String tokenId;
        private String token;
        private String permission;
        private String environment;
        private String ip;
        private Map<String, Object> resource;

        private Builder() {
        }

        /** The token to explain, by its id ({@code tok_...}). */
        public Builder tokenId(String value) {
            this.tokenId = value;
            return this;
        }

        /** The token to explain, by its secret (sent in the body, never in the URL). */
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

        /** The address the request came from, such as {@code 10.1.2.3}; needed by a token bound to networks. */
        public Builder ip(String value) {
            this.ip = value;
            return this;
        }

        /** Attributes of the resource the request is for, which grant conditions read; copied (the top level). */
        public Builder resource(Map<String, ?> value) {
            this.resource = Json.objectCopy(value);
            return this;
        }

        /** @throws IllegalStateException unless exactly one of a token id and a token was given */
        public ExplainRequest build() {
            if ((tokenId == null) == (token == null)) {
                throw new IllegalStateException("give exactly one of a token id and a token");
            }
            return new ExplainRequest(tokenId, token, permission, environment, ip, resource);
        }
    }
}
