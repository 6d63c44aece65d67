package dev.keygate.client;

import java.util.List;

/**
 * One page of alerts, newest first.
 *
 * @param items      the alerts; never null
 * @param nextCursor pass it as {@link AlertQuery.Builder#cursor(String)} to read the next page; {@code null} on
 *                   the last page
 */
public record AlertPage(List<Alert> items, String nextCursor) {

    public AlertPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** Whether there is a next page. */
    public boolean hasNext() {
        return nextCursor != null;
    }
}
