package dev.keygate.core.verify;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.token.TokenView;

/**
 * The pure decision of whether a token may be used, in one documented order: revoked, expired, environment,
 * permission. Each check that fails ends the evaluation with its own code.
 */
public final class TokenPolicy {

    private TokenPolicy() {
    }

    /**
     * Decides whether {@code view} may be used at {@code nowMillis}.
     *
     * @param view        the token, or {@code null} if it is unknown
     * @param permission  the permission asked, or {@code null} to check only that the token is live
     * @param environment the environment the request is for, or {@code null} to accept the token's own
     * @param nowMillis   the current time in epoch milliseconds
     * @return the code; never {@code null}
     */
    public static VerifyCode evaluate(TokenView view, Permission permission, String environment, long nowMillis) {
        if (view == null) {
            return VerifyCode.NOT_FOUND;
        }
        // Revocation takes effect as soon as the view shows it, whatever this node's clock says: a revocation
        // stamped by a node whose clock runs ahead must not leave the token usable here (TokenStatus agrees).
        if (view.revokedAtMillis() != TokenView.NOT_REVOKED) {
            return VerifyCode.REVOKED;
        }
        if (view.expiresAtMillis() <= nowMillis) {
            return VerifyCode.EXPIRED;
        }
        if (environment != null && !environment.equals(view.environment())) {
            return VerifyCode.ENVIRONMENT_MISMATCH;
        }
        if (permission != null && !view.permissions().covers(permission)) {
            return VerifyCode.FORBIDDEN;
        }
        return VerifyCode.VALID;
    }
}
