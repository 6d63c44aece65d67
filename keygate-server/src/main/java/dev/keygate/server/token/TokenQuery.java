package dev.keygate.server.token;

import dev.keygate.core.token.TokenStatus;

import java.time.Instant;

/**
 * Which tokens {@link TokenStore#list} returns: every filter that is set must hold.
 *
 * @param principal   only this principal's tokens, or {@code null} for all
 * @param status      only tokens in this status, or {@code null} for all
 * @param expiringBy  only live tokens that expire at or before this instant, soonest first; or {@code null}
 * @param rotationDue only live, not yet rotated tokens whose rotation is due, most overdue first
 * @param permanent   only permanent tokens ({@code true}), only expiring ones ({@code false}), or both
 *                    ({@code null})
 * @param limit       at most this many
 */
public record TokenQuery(String principal, TokenStatus status, Instant expiringBy, boolean rotationDue,
                         Boolean permanent, int limit) {
}
