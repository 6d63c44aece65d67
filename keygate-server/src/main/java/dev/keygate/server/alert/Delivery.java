package dev.keygate.server.alert;

import java.time.Instant;
import java.util.Locale;

/**
 * The delivery of one alert to one webhook, as the store holds it.
 *
 * @param webhook       the webhook's configured name
 * @param state         where it stands
 * @param attempts      attempts started so far (0 before the first)
 * @param nextAttemptAt while {@link State#PENDING}: not before then (during an attempt, the end of its lease);
 *                      else {@code null}
 * @param lastAttemptAt when the last attempt started, or {@code null}
 * @param lastStatus    the HTTP status of the last answer, or {@code null} (none yet, or no answer)
 * @param lastError     why the last attempt failed ({@code HTTP 503}, {@code timed out}, ...), or {@code null}
 * @param deliveredAt   when a 2xx answer came, or {@code null}
 */
public record Delivery(String webhook, State state, int attempts, Instant nextAttemptAt, Instant lastAttemptAt,
                       Integer lastStatus, String lastError, Instant deliveredAt) {

    /** The states of a delivery; their text is what the store and the API hold. */
    public enum State {
        /** Not yet answered with a 2xx, and attempts are left. */
        PENDING,
        /** A webhook answered 2xx. */
        DELIVERED,
        /** Every attempt failed; no more are made. */
        FAILED;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }
}
