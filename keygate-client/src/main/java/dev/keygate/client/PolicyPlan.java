package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * What applying a policy file would change, or what it changed ({@link KeygateClient#planPolicy},
 * {@link KeygateClient#applyPolicy}; see {@code docs/policy-as-code.md}).
 *
 * @param changes   the roles the file changes, sorted by name; empty when the server matches the file
 * @param unchanged how many roles of the file are as it says already
 */
public record PolicyPlan(List<Change> changes, int unchanged) {

    public PolicyPlan {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** Whether anything would change (or changed). */
    public boolean hasChanges() {
        return !changes.isEmpty();
    }

    /** The changes that applying would refuse; while there is any, an application changes nothing. */
    public List<Change> blocked() {
        return changes.stream().filter(c -> c.blocked() != null).toList();
    }

    /**
     * One role a file changes.
     *
     * @param role       the role's name
     * @param action     {@code create}, {@code update} or {@code delete}
     * @param changed    for an update, the fields that differ ({@code description}, {@code grants}, {@code max_ttl},
     *                   {@code environments}); empty otherwise
     * @param before     the role as it is, or {@code null} for a creation
     * @param after      the role as it will be, or {@code null} for a deletion; in a plan without times
     * @param liveTokens how many live tokens hold the role: they feel the change at their next verification
     * @param blocked    why applying would refuse this change, or {@code null}
     */
    public record Change(String role, String action, List<String> changed, RoleState before, RoleState after,
                         int liveTokens, String blocked) {
        public Change {
            changed = changed == null ? List.of() : List.copyOf(changed);
        }
    }

    /**
     * A role as it is or will be, with all its grants.
     *
     * @param permissions  the unconditional allows (a shorthand view of {@code grants})
     * @param grants       every allow and deny, in order
     * @param maxTtl       such as {@code 1h}, or {@code null} for no cap
     * @param environments the environments a token holding it may be for, or {@code null} for all
     * @param createdAt    {@code null} in a plan's {@code after} of a role not created yet
     * @param updatedAt    {@code null} in a plan's {@code after}
     */
    public record RoleState(String name, String description, List<String> permissions, List<Grant> grants,
                            String maxTtl, List<String> environments, Instant createdAt, Instant updatedAt) {
        public RoleState {
            permissions = permissions == null ? List.of() : List.copyOf(permissions);
            grants = grants == null ? List.of() : List.copyOf(grants);
            environments = environments == null ? null : List.copyOf(environments);
        }
    }

    /**
     * One grant of a role.
     *
     * @param effect    {@code allow} or {@code deny}
     * @param condition a CEL expression, or {@code null} when it always applies
     */
    public record Grant(String permission, String effect, String condition) {

        /** Whether it is an allow with no condition, which a file writes in the role's {@code permissions}. */
        public boolean unconditionalAllow() {
            return "allow".equals(effect) && condition == null;
        }

        /** {@code deny deploy.apps:delete if request.environment == 'live'}. */
        @Override
        public String toString() {
            return effect + " " + permission + (condition == null ? "" : " if " + condition);
        }
    }
}
