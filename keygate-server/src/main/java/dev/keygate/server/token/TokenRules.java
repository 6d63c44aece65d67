package dev.keygate.server.token;

import java.time.Duration;

/**
 * The server-wide rules for token lifetimes, from the server's configuration.
 *
 * @param defaultTtl       the lifetime of a token whose request names none
 * @param maxTtl           the longest lifetime a token may have
 * @param allowPermanent   whether tokens that never expire may be minted at all
 * @param maxRotationGrace the longest grace period a rotation may give the token it replaces
 */
public record TokenRules(Duration defaultTtl, Duration maxTtl, boolean allowPermanent, Duration maxRotationGrace) {
}
