package dev.keygate.core.verify;

import dev.keygate.core.net.AllowedNetworks;
import dev.keygate.core.net.IpAddresses;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionQuery;
import dev.keygate.core.policy.RequestAttributes;
import dev.keygate.core.token.TokenView;

import java.time.Instant;
import java.util.Map;

/**
 * The pure part of deciding whether a token may be used. Verification checks in one documented order, and the
 * first check that fails ends it with its own code:
 * <ol>
 *   <li>format and existence: {@code NOT_FOUND}</li>
 *   <li>revoked: {@code REVOKED}; rotated and past its grace period: {@code ROTATED}</li>
 *   <li>expired: {@code EXPIRED}</li>
 *   <li>environment: {@code ENVIRONMENT_MISMATCH}</li>
 *   <li>network binding: {@code IP_NOT_ALLOWED}</li>
 *   <li>usage limit: {@code USAGE_EXCEEDED} (needs the store: not here)</li>
 *   <li>rate limit: {@code RATE_LIMITED} (needs the node's buckets: not here)</li>
 *   <li>permission: {@code FORBIDDEN}</li>
 * </ol>
 * {@link #admit} runs the checks before the usage limit, {@link #permits} the last one; {@link #evaluate} runs
 * both for a token that has neither a usage nor a rate limit.
 */
public final class TokenPolicy {

    private TokenPolicy() {
    }

    /**
     * Decides whether {@code view} may be used at {@code nowMillis}, for a token without usage or rate limits.
     *
     * @param view        the token, or {@code null} if it is unknown
     * @param permission  the permission asked, or {@code null} to check only that the token is live
     * @param environment the environment the request is for, or {@code null} to accept the token's own
     * @param nowMillis   the current time in epoch milliseconds
     * @return the code; never {@code null}
     */
    public static VerifyCode evaluate(TokenView view, Permission permission, String environment, long nowMillis) {
        return evaluate(view, permission, environment, null, nowMillis);
    }

    /**
     * Like {@link #evaluate(TokenView, Permission, String, long)}, for a request from {@code ip}.
     *
     * @param ip the request's address (4 or 16 bytes), or {@code null} if it was not given
     */
    public static VerifyCode evaluate(TokenView view, Permission permission, String environment, byte[] ip,
                                      long nowMillis) {
        VerifyCode code = admit(view, environment, ip, nowMillis);
        return code != VerifyCode.VALID ? code
                : permits(view, permission, attributes(view, environment, ip, nowMillis, null));
    }

    /**
     * What the conditions of {@code view}'s grants read of a request, or {@code null} when its policy is
     * {@link dev.keygate.core.policy.Policy#simple() simple} and reads nothing (so that a plain token's verify
     * builds nothing).
     *
     * @param environment the environment asked, or {@code null} for the token's own
     * @param ip          the request's address (4 or 16 bytes), or {@code null}; conditions see it in canonical form
     * @param resource    the resource's attributes, or {@code null} for none
     */
    public static RequestAttributes attributes(TokenView view, String environment, byte[] ip, long nowMillis,
                                               Map<String, ?> resource) {
        if (view.policy().simple()) {
            return null;
        }
        return new RequestAttributes(ip == null ? null : IpAddresses.format(ip), Instant.ofEpochMilli(nowMillis),
                environment == null ? view.environment() : environment, resource == null ? Map.of() : resource);
    }

    /**
     * The checks up to the network binding. A token bound to networks is refused when the request's address is
     * outside them or was not given: the binding fails closed.
     *
     * @param ip the request's address (4 or 16 bytes), or {@code null} if it was not given
     * @return {@code VALID} if they all pass, else the code of the first that fails
     */
    public static VerifyCode admit(TokenView view, String environment, byte[] ip, long nowMillis) {
        if (view == null) {
            return VerifyCode.NOT_FOUND;
        }
        // Revocation takes effect as soon as the view shows it, whatever this node's clock says: a revocation
        // stamped by a node whose clock runs ahead must not leave the token usable here (TokenStatus agrees).
        if (view.revokedAtMillis() != TokenView.NOT_REVOKED) {
            return VerifyCode.REVOKED;
        }
        if (view.rotationEndsAtMillis() <= nowMillis) {
            return VerifyCode.ROTATED;
        }
        if (view.expiresAtMillis() <= nowMillis) {
            return VerifyCode.EXPIRED;
        }
        if (environment != null && !environment.equals(view.environment())) {
            return VerifyCode.ENVIRONMENT_MISMATCH;
        }
        AllowedNetworks networks = view.token().limits().allowedNetworks();
        if (networks != null && (ip == null || !networks.allows(ip))) {
            return VerifyCode.IP_NOT_ALLOWED;
        }
        return VerifyCode.VALID;
    }

    /**
     * The last check: {@code VALID} if {@code permission} is {@code null} or granted, else {@code FORBIDDEN}.
     *
     * @param request what the conditions of the token's grants read; not read, and may be {@code null}, when the
     *                token's policy is {@link dev.keygate.core.policy.Policy#simple() simple}
     */
    public static VerifyCode permits(TokenView view, Permission permission, RequestAttributes request) {
        if (permission == null) {
            return VerifyCode.VALID;
        }
        boolean granted = view.policy().simple() ? view.permissions().covers(permission)
                : view.policy().permits(permission, request, view.subject());
        return granted ? VerifyCode.VALID : VerifyCode.FORBIDDEN;
    }

    /**
     * The last check for a query: {@code VALID} if the query holds with each of its permissions decided as
     * {@link #permits(TokenView, Permission, RequestAttributes)} decides it, else {@code FORBIDDEN}.
     */
    public static VerifyCode permits(TokenView view, PermissionQuery query, RequestAttributes request) {
        boolean granted = view.policy().simple() ? query.evaluate(view.permissions()::covers)
                : query.evaluate(p -> view.policy().permits(p, request, view.subject()));
        return granted ? VerifyCode.VALID : VerifyCode.FORBIDDEN;
    }
}
