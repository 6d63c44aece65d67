package dev.keygate.server.alert;

import java.time.Instant;

/**
 * A page of alerts, newest first. Every filter is optional ({@code null}).
 *
 * @param rule     only alerts of this rule
 * @param tokenId  only alerts about this token
 * @param since    only alerts raised at or after this time
 * @param beforeId only alerts with a smaller id (the cursor of the previous page)
 * @param limit    1 to {@value #MAX_LIMIT}
 */
public record AlertQuery(String rule, String tokenId, Instant since, Long beforeId, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
}
