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
 * @param cursor    the {@link AuditPage#nextCursor()} of the previous page (of a query in the same order)
 * @param decision  only events with this decision: {@code allow} or {@code deny}
 * @param until     only events before this time (exclusive, so that {@code [since, until)} ranges tile)
 * @param order     newest first (the server's default when {@code null}) or oldest first
 */
public record AuditQuery(String tokenId, String principal, String action, Instant since, Integer limit, String cursor,
                         String decision, Instant until, Order order) {

    /** A query with the first filters only (as before {@code decision}, {@code until} and {@code order}). */
    public AuditQuery(String tokenId, String principal, String action, Instant since, Integer limit, String cursor) {
        this(tokenId, principal, action, since, limit, cursor, null, null, null);
    }

    /** No filter, the server's default page size, the first page. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null, null, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The order of a page, by the order events were stored in. */
    public enum Order {
        NEWEST,
        OLDEST;

        /** {@code newest} or {@code oldest}, as the API writes it. */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Builds an {@link AuditQuery}; every setter accepts {@code null} to clear the filter. */
    public static final class Builder {
        private String tokenId;
        private String principal;
        private String action;
        private String decision;
        private Instant since;
        private Instant until;
        private Order order;
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

        /** {@code allow} or {@code deny}. */
        public Builder decision(String value) {
            this.decision = value;
            return this;
        }

        public Builder since(Instant value) {
            this.since = value;
            return this;
        }

        public Builder until(Instant value) {
            this.until = value;
            return this;
        }

        public Builder order(Order value) {
            this.order = value;
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
            return new AuditQuery(tokenId, principal, action, since, limit, cursor, decision, until, order);
        }
    }
}
