package dev.keygate.server.hygiene;

import java.time.Instant;
import java.util.List;

/**
 * The hygiene report of the active tokens (see docs/usage-and-hygiene.md). Every list is of active tokens only:
 * revoked, expired and rotated-out tokens can do no harm and are left out.
 *
 * @param generatedAt             the instant the report describes
 * @param days                    N: the period of use the report looks at
 * @param usageSince              the start of the UTC day N days ago: use is counted from then
 * @param activeTokens            how many tokens are active
 * @param unused                  used, but not in the last N days; least recently used first
 * @param neverUsed               never verified; oldest first
 * @param overScoped              granted more than they used in the period; oldest first
 * @param notEnoughHistory        would be over-scoped, but have existed (with the tokens they replaced by rotation)
 *                                for less than N days; oldest first
 * @param permanent               never expire; oldest first
 * @param expiringSoon            expire within {@link HygieneService#EXPIRING_WITHIN}; soonest first
 * @param rotationOverdue         their rotation schedule is due and they have no successor; most overdue first
 * @param writableWithoutIpBinding allowed to write or delete (see {@link HygieneService#READ_ACTIONS}) from any
 *                                address: no {@code allowed_cidrs}; oldest first
 */
public record HygieneReport(Instant generatedAt, int days, Instant usageSince, int activeTokens,
                            List<TokenSummary> unused, List<TokenSummary> neverUsed, List<OverScoped> overScoped,
                            List<NotEnoughHistory> notEnoughHistory, List<TokenSummary> permanent,
                            List<TokenSummary> expiringSoon, List<TokenSummary> rotationOverdue,
                            List<Writable> writableWithoutIpBinding) {

    /** A token as every section shows it. {@code expiresAt} is {@code null} for a permanent token. */
    public record TokenSummary(String id, String principal, String name, List<String> roles, String environment,
                               Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant rotationDueAt) {
    }

    /**
     * A token granted more than it used.
     *
     * @param historySince when its history starts: its creation, or that of the first token of its rotation line
     * @param exercised    the permissions it used that its grants cover, minimal
     * @param unexercised  its grants that cover nothing it used
     * @param broader      its wildcard grants broader than what they were used for
     */
    public record OverScoped(TokenSummary token, Instant historySince, List<String> exercised,
                             List<String> unexercised, List<Broader> broader, Suggestion suggestion) {
    }

    /** A wildcard grant and the permissions it was used for. */
    public record Broader(String grant, List<String> used) {
    }

    /**
     * What to give the token instead.
     *
     * @param permissions the least-privilege set: what it used, minimal; empty when it used nothing
     * @param role        an existing role granting those permissions exactly or most narrowly (and less than the
     *                    token holds), or {@code null}
     * @param roleExact   whether {@code role} grants exactly those permissions; {@code null} without a role
     * @param newRole     a role to create, when no existing role is exact and something was used; else
     *                    {@code null}
     * @param revoke      {@code true} when it used none of its permissions: revoke it rather than narrow it
     */
    public record Suggestion(List<String> permissions, String role, Boolean roleExact, NewRole newRole,
                             boolean revoke) {
    }

    public record NewRole(String name, List<String> permissions) {
    }

    public record NotEnoughHistory(TokenSummary token, Instant historySince) {
    }

    /** @param writePermissions the permissions it is allowed whose action is not a read one */
    public record Writable(TokenSummary token, List<String> writePermissions) {
    }
}
