package dev.keygate.server.auth;

import dev.keygate.core.error.ForbiddenException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionSet;
import dev.keygate.core.token.TokenView;
import dev.keygate.server.audit.AuditEvent;

/** An authenticated admin caller: the token it presented, and where the request came from. */
public record Caller(TokenView token, String clientIp, String userAgent) {

    public PermissionSet permissions() {
        return token.permissions();
    }

    /**
     * Requires that the caller's permissions cover {@code permission}.
     *
     * @throws ForbiddenException naming the missing permission
     */
    public void require(Permission permission) {
        if (!token.permissions().covers(permission)) {
            throw new ForbiddenException("this token lacks the permission " + permission);
        }
    }

    public boolean holds(Permission permission) {
        return token.permissions().covers(permission);
    }

    /** The caller as the actor of an audit event. */
    public AuditEvent.Actor actor() {
        return new AuditEvent.Actor(token.id(), token.principal(), clientIp, userAgent);
    }
}
