package dev.keygate.server.auth;

import dev.keygate.core.error.ForbiddenException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.policy.RequestAttributes;
import dev.keygate.core.token.TokenView;
import dev.keygate.server.audit.AuditEvent;

import java.time.Instant;
import java.util.Map;

/**
 * An authenticated admin caller: the token it presented, where the request came from and when. Its permissions
 * are decided by the token's policy like any verification's, denies and conditions included: the request's
 * attributes are the client's address, the time of the request and the token's environment.
 *
 * @param clientIp    the client's address as the HTTP server reported it (for the audit log)
 * @param canonicalIp the same in canonical form ({@code request.ip} for conditions), or {@code null} when it is not
 *                    an IP literal
 */
public record Caller(TokenView token, String clientIp, String canonicalIp, String userAgent, Instant at) {

    /**
     * Requires that the caller's policy grants {@code permission}.
     *
     * @throws ForbiddenException naming the missing permission
     */
    public void require(Permission permission) {
        if (!holds(permission)) {
            throw new ForbiddenException("this token lacks the permission " + permission);
        }
    }

    public boolean holds(Permission permission) {
        if (token.policy().simple()) {
            return token.permissions().covers(permission);
        }
        return token.policy().permits(permission, new RequestAttributes(canonicalIp, at, token.environment(), Map.of()),
                token.subject());
    }

    /** The caller as the actor of an audit event. */
    public AuditEvent.Actor actor() {
        return new AuditEvent.Actor(token.id(), token.principal(), clientIp, userAgent);
    }
}
