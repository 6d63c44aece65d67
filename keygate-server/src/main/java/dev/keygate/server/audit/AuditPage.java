package dev.keygate.server.audit;

import java.util.List;

/**
 * One page of audit events, newest first.
 *
 * @param hasMore whether older events match the query beyond this page
 */
public record AuditPage(List<AuditEvent> events, boolean hasMore) {
}
