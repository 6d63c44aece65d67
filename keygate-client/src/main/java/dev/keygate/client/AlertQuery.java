package dev.keygate.client;

import java.time.Instant;

/**
 * Filters and paging for {@link KeygateClient#alerts(AlertQuery)}. Every field is optional ({@code null}: no
 * filter); build one with {@link #builder()}, or take {@link #all()}.
 *
 * @param rule    only alerts of this rule, for example {@code dead_token_use}
 * @param tokenId only alerts about this token ({@code tok_...})
 * @param since   only alerts raised at or after this time
 * @param limit   page size, 1 to 1000; the server's default (100) when {@code null}
 * @param cursor  the {@link AlertPage#nextCursor()} of the previous page
 */
public record AlertQuery(String rule, String tokenId, Instant since, Integer limit, String cursor) {

    /** No filter, the server's default page size, the first page. */
    public static AlertQuery all() {
        return new AlertQuery(null, null, null, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link AlertQuery}; every setter accepts {@code null} to clear the filter. */
    public static final class Builder {
        private String rule;
        private String tokenId;
        private Instant since;
        private Integer limit;
        private String cursor;

        private Builder() {
        }

        public Builder rule(String value) {
            this.rule = value;
            return this;
        }

        public Builder tokenId(String value) {
            this.tokenId = value;
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

        public AlertQuery build() {
            return new AlertQuery(rule, tokenId, since, limit, cursor);
        }
    }
}
