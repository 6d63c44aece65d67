package dev.keygate.core.verify;

/**
 * The outcome of a verification. Each code says whether the token is usable ({@link #valid()}) and whether
 * the request is allowed ({@link #allowed()}). Codes other than {@code VALID} and {@code FORBIDDEN} disclose
 * nothing about a token's permissions; {@code NOT_FOUND} discloses nothing at all.
 */
public enum VerifyCode {
    /** A live token; the permission asked, if any, is granted. */
    VALID(true, true),
    /** A live token that lacks the permission asked. */
    FORBIDDEN(true, false),
    /** The token existed but has expired. */
    EXPIRED(false, false),
    /** The token existed but was revoked. */
    REVOKED(false, false),
    /** The token was replaced by rotation and its grace period is over. */
    ROTATED(false, false),
    /** The token is for another environment than the one the request is for. */
    ENVIRONMENT_MISMATCH(false, false),
    /** The token is bound to networks ({@code allowed_cidrs}) and the request's address is outside them, or absent. */
    IP_NOT_ALLOWED(false, false),
    /** The token's uses ({@code max_uses}) are spent, or fewer are left than the request's cost. */
    USAGE_EXCEEDED(false, false),
    /** The token made more requests than its {@code rate_limit} allows; the answer says when to retry. */
    RATE_LIMITED(false, false),
    /** The token is unknown or malformed. */
    NOT_FOUND(false, false);

    private final boolean valid;
    private final boolean allowed;

    VerifyCode(boolean valid, boolean allowed) {
        this.valid = valid;
        this.allowed = allowed;
    }

    /** Whether the token itself is usable. */
    public boolean valid() {
        return valid;
    }

    /** Whether the request is allowed. */
    public boolean allowed() {
        return allowed;
    }

    /** The audit decision for this outcome: {@code allow} or {@code deny}. */
    public String decision() {
        return allowed ? "allow" : "deny";
    }

    /** Whether a response with this code may describe the token (its id, principal, roles, permissions). */
    public boolean disclosesToken() {
        return valid;
    }
}
