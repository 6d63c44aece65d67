package dev.keygate.client;

import java.time.Instant;

/**
 * Filters and paging for {@link KeygateClient#audit(AuditQuery)}. Every field is optional ({@code null}: no
 * filter); build one with {@link #builder()}, or take {@link #all()}.
 *
 * @param tokenId   only events whose actor is this token
 * @param principal only events whose actor token belongs to this principal
 * @param action    only this action, for example {@code token.revoke}
 * @param since     only events at or after this time
 * @param limit     page size, 1 to 1000; the server's default (100) when {@code null}
 * @param cursor    the {@link AuditPage#nextCursor()} of the previous page
 */
public record AuditQuery(String tokenId, String principal, String action, Instant since, Integer limit, String cursor) {

    /** No filter, the server's default page size, the first page. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link AuditQuery}; every setter accepts {@code null} to clear the filter. */
    public static final class Builder {
        private String tokenId;
        private String principal;
        private String action;
        private Instant since;
        private Integer limit;
        private String cursor;

        private Builder() {
        }

        public Builder tokenId(String value) {
            this.tokenId = value;
            return this;
        }

        public Builder principal(String value) {
            this.principal = value;
            return this;
        }

        public Builder action(String value) {
            this.action = value;
            return this;
        }

        public Builder since(Instant value) {
            this.since = value;
            return this;
        }

        public Builder limit(Integer value) {
            this.limit = value;
            return this;
        }

        public Builder cursor(String value) {
            this.cursor = value;
            return this;
        }

        public AuditQuery build() {
            return new AuditQuery(tokenId, principal, action, since, limit, cursor);
        }
    }
}
