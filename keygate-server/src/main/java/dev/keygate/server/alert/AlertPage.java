package dev.keygate.server.alert;

import java.util.List;

/**
 * One page of alerts, newest first, each with its deliveries.
 *
 * @param hasMore whether older alerts match the query beyond this page
 */
public record AlertPage(List<Entry> alerts, boolean hasMore) {

    public AlertPage {
        alerts = List.copyOf(alerts);
    }

    /** An alert and its delivery to each webhook that was configured when it was raised (empty when none). */
    public record Entry(Alert alert, List<Delivery> deliveries) {

        public Entry {
            deliveries = List.copyOf(deliveries);
        }
    }
}
