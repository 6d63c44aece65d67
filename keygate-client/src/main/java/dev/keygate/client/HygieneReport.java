package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * The hygiene report of the active tokens ({@code GET /v1/reports/hygiene}; docs/usage-and-hygiene.md). Only active
 * tokens are reported; each list is never null.
 *
 * @param generatedAt              the instant the report describes
 * @param days                     N, the period of use it looks at
 * @param usageSince               the start of the UTC day N days ago: use is counted from then
 * @param activeTokens             how many tokens are active
 * @param unused                   verified, but not in the last N days; least recently used first
 * @param neverUsed                never verified; oldest first
 * @param overScoped               granted more than they used; oldest first
 * @param notEnoughHistory         would be over-scoped, but younger than N days; oldest first
 * @param permanent                never expire; oldest first
 * @param expiringSoon             expire within 7 days; soonest first
 * @param rotationOverdue          their rotation is due and they have no successor; most overdue first
 * @param writableWithoutIpBinding allowed to write or delete (an action other than read, list or get) from any
 *                                 address; oldest first
 */
public record HygieneReport(Instant generatedAt, int days, Instant usageSince, int activeTokens, List<Token> unused,
                            List<Token> neverUsed, List<OverScoped> overScoped,
                            List<NotEnoughHistory> notEnoughHistory, List<Token> permanent, List<Token> expiringSoon,
                            List<Token> rotationOverdue, List<Writable> writableWithoutIpBinding) {

    public HygieneReport {
        unused = copy(unused);
        neverUsed = copy(neverUsed);
        overScoped = copy(overScoped);
        notEnoughHistory = copy(notEnoughHistory);
        permanent = copy(permanent);
        expiringSoon = copy(expiringSoon);
        rotationOverdue = copy(rotationOverdue);
        writableWithoutIpBinding = copy(writableWithoutIpBinding);
    }

    /**
     * A token as the report shows it.
     *
     * @param expiresAt     {@code null} exactly when it is {@code permanent}
     * @param lastUsedAt    its last verification, or {@code null} if never verified
     * @param rotationDueAt when its rotation falls due, or {@code null} without a schedule
     */
    public record Token(String id, String principal, String name, List<String> roles, String environment,
                        Instant createdAt, Instant expiresAt, boolean permanent, Instant lastUsedAt,
                        Instant rotationDueAt) {
        public Token {
            roles = copy(roles);
        }
    }

    /**
     * A token granted more than it used.
     *
     * @param historySince    the start of its history (its creation, or that of the first token of its rotation
     *                        line)
     * @param exercised       the permissions it used that its grants cover, minimal
     * @param unexercised     its grants that cover nothing it used
     * @param broaderThanUsed its wildcard grants used only for narrower permissions
     */
    public record OverScoped(String id, String principal, String name, List<String> roles, String environment,
                             Instant createdAt, Instant expiresAt, boolean permanent, Instant lastUsedAt,
                             Instant rotationDueAt, Instant historySince, List<String> exercised,
                             List<String> unexercised, List<Broader> broaderThanUsed, Suggestion suggestion) {
        public OverScoped {
            roles = copy(roles);
            exercised = copy(exercised);
            unexercised = copy(unexercised);
            broaderThanUsed = copy(broaderThanUsed);
        }
    }

    /** A wildcard grant and the narrower permissions it was used for. */
    public record Broader(String grant, List<String> used) {
        public Broader {
            used = copy(used);
        }
    }

    /**
     * What to give an over-scoped token instead.
     *
     * @param permissions the least-privilege set; empty when it used none of its permissions
     * @param role        an existing role granting them exactly or most narrowly, or {@code null}
     * @param roleExact   whether {@code role} grants exactly them; {@code null} without a role
     * @param newRole     a role to create when no existing role is exact, or {@code null}
     * @param revoke      {@code true} when it used none of its permissions (revoke it), else {@code null}
     */
    public record Suggestion(List<String> permissions, String role, Boolean roleExact, NewRole newRole,
                             Boolean revoke) {
        public Suggestion {
            permissions = copy(permissions);
        }
    }

    public record NewRole(String name, List<String> permissions) {
        public NewRole {
            permissions = copy(permissions);
        }
    }

    public record NotEnoughHistory(String id, String principal, String name, List<String> roles, String environment,
                                   Instant createdAt, Instant expiresAt, boolean permanent, Instant lastUsedAt,
                                   Instant rotationDueAt, Instant historySince) {
        public NotEnoughHistory {
            roles = copy(roles);
        }
    }

    /** @param writePermissions the permissions it is allowed whose action is not read, list or get */
    public record Writable(String id, String principal, String name, List<String> roles, String environment,
                           Instant createdAt, Instant expiresAt, boolean permanent, Instant lastUsedAt,
                           Instant rotationDueAt, List<String> writePermissions) {
        public Writable {
            roles = copy(roles);
            writePermissions = copy(writePermissions);
        }
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
