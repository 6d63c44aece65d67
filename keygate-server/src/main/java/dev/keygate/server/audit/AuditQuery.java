package dev.keygate.server.audit;

import java.time.Instant;

/**
 * A page of audit events, newest first. Every filter is optional ({@code null}).
 *
 * @param tokenId   events whose actor or target is this token
 * @param beforeId  only events with a smaller id (the cursor of the previous page)
 * @param limit     1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(String tokenId, String principal, String action, Instant since, Long beforeId, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
}
