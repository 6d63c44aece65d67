package dev.keygate.server.audit;

import java.util.List;

/**
 * One page of audit events, in the order its query asked for.
 *
 * @param hasMore whether more events match the query beyond this page
 */
public record AuditPage(List<AuditEvent> events, boolean hasMore) {
}
