package dev.keygate.client;

import java.time.Instant;

/**
 * The delivery of an alert to one webhook.
 *
 * @param webhook       the webhook's configured name
 * @param state         {@code pending}, {@code delivered} or {@code failed}
 * @param attempts      attempts started so far
 * @param nextAttemptAt while pending, not before then; else {@code null}
 * @param lastAttemptAt when the last attempt started, or {@code null}
 * @param lastStatus    the HTTP status of the last answer, or {@code null}
 * @param lastError     why the last attempt failed ({@code HTTP 503}, {@code connection refused}, ...), or
 *                      {@code null}
 * @param deliveredAt   when a 2xx answer came, or {@code null}
 */
public record AlertDelivery(String webhook, String state, int attempts, Instant nextAttemptAt, Instant lastAttemptAt,
                            Integer lastStatus, String lastError, Instant deliveredAt) {

    /** Whether a webhook answered 2xx. */
    public boolean delivered() {
        return "delivered".equals(state);
    }
}
