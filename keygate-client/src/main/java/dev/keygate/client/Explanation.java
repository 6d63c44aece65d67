package dev.keygate.client;

import java.util.List;

/**
 * The answer of {@code POST /v1/explain}: whether a token would be allowed, and why. It decides exactly as verify
 * does, but spends nothing: usage and rate limits are reported in {@code notes}, not checked.
 *
 * <p>When a check before the permission refuses the token (it is revoked, expired, for another environment,
 * ...), {@code code} names it, {@code reason} says why and {@code permissions} is empty. Otherwise
 * {@code permissions} holds the permission asked, with every grant of the token's roles that bears on it.
 *
 * @param decision    {@code allow} or {@code deny}; see {@link #allowed()}
 * @param code        what verify would answer ({@code VALID}, {@code FORBIDDEN}, {@code REVOKED}, ...), but for
 *                    usage and rate limits
 * @param tokenId     the token's id, or {@code null} when no token has the secret given
 * @param principal   the principal it was issued to, or {@code null} likewise
 * @param roles       its roles, or {@code null} likewise
 * @param environment its environment, or {@code null} likewise
 * @param reason      one sentence saying why, such as {@code denied by role 'guard', grant 0 (deny billing.refunds:*)}
 * @param permissions the permission asked and how the token's grants decide it; empty when none was asked or a
 *                    check before it refused the token; never null
 * @param notes       what was not checked, and why; never null
 */
public record Explanation(String decision, String code, String tokenId, String principal, List<String> roles,
                          String environment, String reason, List<PermissionResult> permissions, List<String> notes) {

    public Explanation {
        roles = roles == null ? null : List.copyOf(roles);
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** Whether the token would be allowed: {@code decision} is {@code allow}. */
    public boolean allowed() {
        return "allow".equals(decision);
    }

    /**
     * How the grants of a token's roles decide one permission.
     *
     * @param permission the permission
     * @param allowed    whether it is granted
     * @param decidedBy  the grant that decided (the first deny that applies, else the first allow that applies), or
     *                   {@code null} when no grant allows it; its {@code outcome} is {@code null}
     * @param rules      every grant of the token's roles whose pattern bears on the permission, in the order of the
     *                   roles and their grants, each with its outcome; never null
     */
    public record PermissionResult(String permission, boolean allowed, Rule decidedBy, List<Rule> rules) {

        public PermissionResult {
            rules = rules == null ? List.of() : List.copyOf(rules);
        }
    }

    /**
     * A grant of one of the token's roles, and how it came out.
     *
     * @param role       the role
     * @param grant      its position among the role's grants (0-based)
     * @param effect     {@link Grant#ALLOW} or {@link Grant#DENY}
     * @param permission its permission or pattern
     * @param condition  its condition, or {@code null} when it has none
     * @param outcome    {@link #APPLIES}, {@link #CONDITION_FALSE} or {@link #CONDITION_FAILED} (a deny whose
     *                   condition failed applies, an allow does not); {@code null} in
     *                   {@link PermissionResult#decidedBy()}
     * @param error      why the condition failed, or {@code null}
     */
    public record Rule(String role, int grant, String effect, String permission, String condition, String outcome,
                       String error) {

        /** The grant applies: its condition, if any, holds. */
        public static final String APPLIES = "applies";
        /** Its condition is false: the grant does not apply. */
        public static final String CONDITION_FALSE = "condition_false";
        /** Its condition could not be evaluated ({@code error} says why): fails closed. */
        public static final String CONDITION_FAILED = "condition_failed";
    }
}
