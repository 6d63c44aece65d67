package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * Something unusual Keygate noticed about a token or an address, and its delivery to each webhook (see
 * docs/alerts.md). Never holds a secret.
 *
 * @param id         a positive number, increasing with time
 * @param time       when the event that raised it happened
 * @param rule       {@code failed_verifications_ip}, {@code failed_verifications_token}, {@code new_network},
 *                   {@code dead_token_use}, {@code usage_spike} or {@code token_leaked}
 * @param tokenId    the token concerned, or {@code null} (failures from one address)
 * @param principal  that token's principal, or {@code null}
 * @param ip         the address concerned, or {@code null}
 * @param detail     a short account: counts, thresholds, the network; or {@code null}
 * @param deliveries one per webhook configured when it was raised, by webhook name; never null
 */
public record Alert(long id, Instant time, String rule, String tokenId, String principal, String ip, String detail,
                    List<AlertDelivery> deliveries) {

    public Alert {
        deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
    }
}
