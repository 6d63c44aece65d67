package dev.keygate.server.audit;

import java.time.Instant;

/**
 * A page of audit events. Every filter is optional ({@code null}).
 *
 * @param tokenId   events whose actor or target is this token
 * @param decision  {@code allow} or {@code deny}
 * @param since     events at or after this time
 * @param until     events before this time (exclusive, so that {@code [since, until)} ranges tile)
 * @param order     newest first (the default) or oldest first
 * @param cursorId  the id of the last event of the previous page: only events after it in {@code order}
 * @param limit     1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(String tokenId, String principal, String action, String decision, Instant since,
                         Instant until, Order order, Long cursorId, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        order = order == null ? Order.NEWEST : order;
    }

    /** The same query with another page size. */
    public AuditQuery withLimit(int n) {
        return new AuditQuery(tokenId, principal, action, decision, since, until, order, cursorId, n);
    }

    /** The order of a page: by id, which is the order events were stored in. */
    public enum Order {
        NEWEST,
        OLDEST;

        /** {@code newest} or {@code oldest}. */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
