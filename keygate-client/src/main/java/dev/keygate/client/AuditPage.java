package dev.keygate.client;

import java.util.List;

/**
 * One page of audit events, newest first.
 *
 * @param items      the events; never null
 * @param nextCursor pass it as {@link AuditQuery.Builder#cursor(String)} to read the next page; {@code null} on
 *                   the last page
 */
public record AuditPage(List<AuditEvent> items, String nextCursor) {

    public AuditPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** Whether there is a next page. */
    public boolean hasNext() {
        return nextCursor != null;
    }
}
