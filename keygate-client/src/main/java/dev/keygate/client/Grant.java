package dev.keygate.client;

import java.util.Objects;

/**
 * One line of a role: it allows or denies a permission (a pattern such as {@code billing.*:read}), always or only
 * when its condition holds. A deny that matches a request wins over every allow. Build one with
 * {@link #allow(String)} or {@link #deny(String)}, then {@link #withCondition(String)} if it is conditional.
 *
 * @param permission the permission or pattern it applies to; required
 * @param effect     {@link #ALLOW} or {@link #DENY} (kept as text, so that an effect a newer server adds can be
 *                   read); required
 * @param condition  a CEL expression that must hold for the grant to apply, or {@code null} when it always applies
 */
public record Grant(String permission, String effect, String condition) {

    /** The {@code effect} of a grant that allows. */
    public static final String ALLOW = "allow";

    /** The {@code effect} of a grant that denies, whatever else allows. */
    public static final String DENY = "deny";

    public Grant {
        Objects.requireNonNull(permission, "permission");
        Objects.requireNonNull(effect, "effect");
    }

    /** An unconditional allow of {@code permission}: what a role's {@code permissions} stand for. */
    public static Grant allow(String permission) {
        return new Grant(permission, ALLOW, null);
    }

    /** An unconditional deny of {@code permission}: it wins over every allow of the token's roles. */
    public static Grant deny(String permission) {
        return new Grant(permission, DENY, null);
    }

    /**
     * This grant, applying only when {@code condition} holds. The server checks the expression when the role is
     * saved and answers a 400 on {@code grants[i].condition} if it does not compile.
     *
     * @param condition a CEL expression over {@code request}, {@code resource}, {@code token} and
     *                  {@code principal}, or {@code null} for none
     */
    public Grant withCondition(String condition) {
        return new Grant(permission, effect, condition);
    }

    /** {@code allow billing.*:*}, {@code deny billing.refunds:write}, {@code allow x:y if <condition>}. */
    @Override
    public String toString() {
        return effect + " " + permission + (condition == null ? "" : " if " + condition);
    }
}
