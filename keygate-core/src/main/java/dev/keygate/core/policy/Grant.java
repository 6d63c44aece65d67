package dev.keygate.core.policy;

import dev.keygate.core.permission.Permission;

import java.util.Objects;

/**
 * One line of a role: it allows or denies a permission (a pattern), always or only when its condition holds.
 *
 * @param permission the permission or pattern it applies to
 * @param effect     allow or deny
 * @param condition  the CEL source of its condition, or {@code null} when it always applies
 */
public record Grant(Permission permission, Effect effect, String condition) {

    public Grant {
        Objects.requireNonNull(permission, "permission");
        Objects.requireNonNull(effect, "effect");
    }

    /** An allow with no condition: what a role's {@code permissions} shorthand stands for. */
    public static Grant allow(Permission permission) {
        return new Grant(permission, Effect.ALLOW, null);
    }

    /** Whether this grant is an allow with no condition. */
    public boolean unconditionalAllow() {
        return effect == Effect.ALLOW && condition == null;
    }

    /**
     * Whether this grant gives at least what {@code other} gives: both allow, this pattern covers the other's, and
     * this one has no condition or the very same one.
     */
    public boolean coversAllow(Grant other) {
        return effect == Effect.ALLOW && other.effect == Effect.ALLOW && permission.covers(other.permission)
                && (condition == null || condition.equals(other.condition));
    }

    /**
     * Whether this grant refuses at least what {@code other} refuses: both deny, this pattern covers the other's,
     * and this one has no condition or the very same one.
     */
    public boolean coversDeny(Grant other) {
        return effect == Effect.DENY && other.effect == Effect.DENY && permission.covers(other.permission)
                && (condition == null || condition.equals(other.condition));
    }

    @Override
    public String toString() {
        return effect.text() + " " + permission + (condition == null ? "" : " if " + condition);
    }
}
