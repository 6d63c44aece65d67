package dev.keygate.server.alert;

import java.time.Instant;

/**
 * Something unusual Keygate noticed about a token: repeated failures, a new network, use of a dead token, a
 * usage spike, a reported leak. Holds no secret, ever.
 *
 * @param id        the store's id, or {@code null} before it is stored
 * @param rule      which rule raised it, one of the constants below
 * @param tokenId   the token concerned, or {@code null} (failures from one address against unknown tokens)
 * @param principal that token's principal, or {@code null}
 * @param ip        the address concerned, or {@code null}
 * @param detail    a short human-readable account (counts, thresholds, the network), never a secret
 */
public record Alert(Long id, Instant time, String rule, String tokenId, String principal, String ip,
                    String detail) {

    public static final String FAILED_VERIFICATIONS_IP = "failed_verifications_ip";
    public static final String FAILED_VERIFICATIONS_TOKEN = "failed_verifications_token";
    public static final String NEW_NETWORK = "new_network";
    public static final String DEAD_TOKEN_USE = "dead_token_use";
    public static final String USAGE_SPIKE = "usage_spike";
    public static final String TOKEN_LEAKED = "token_leaked";
}
