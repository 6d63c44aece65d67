package dev.keygate.server.audit;

import java.time.Instant;

/**
 * One audit event: an admin change or a verification. Holds no secret, ever: tokens are named by their
 * public id.
 *
 * @param id             the store's sequence number, or {@code null} before it is stored
 * @param action         {@code role.create}, {@code token.revoke}, {@code verify}, ...
 * @param actorTokenId   the id of the token that acted (for {@code verify}: the token verified), or {@code null}
 * @param actorPrincipal the principal of that token, or {@code null}
 * @param target         what was acted on: a role or principal name or a token id, or {@code null}
 * @param permission     the permission asked (verify) or required (admin), or {@code null}
 * @param decision       {@code allow} or {@code deny}
 * @param code           {@code OK} for admin changes; the verify code for verifications
 * @param detail         a short human-readable note (roles granted, revoke reason, ...), or {@code null}
 * @param requestIp      for {@code verify}: the address the token was used from as the caller stated it
 *                       ({@code context.ip}), in canonical form, or {@code null}; {@code clientIp} is the
 *                       address of the service that asked
 */
public record AuditEvent(Long id, Instant time, String action, String actorTokenId, String actorPrincipal,
                         String target, String permission, String decision, String code, String clientIp,
                         String userAgent, String detail, String requestIp) {

    public static final String OK = "OK";
    public static final int MAX_USER_AGENT = 256;

    public AuditEvent {
        // Bound what a caller controls, so that a huge header cannot bloat the log.
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
    }

    /** An admin change made by {@code actor}, allowed and done. */
    public static AuditEvent change(Instant time, String action, Actor actor, String target, String permission,
                                    String detail) {
        return new AuditEvent(null, time, action, actor.tokenId(), actor.principal(), target, permission, "allow",
                OK, actor.clientIp(), actor.userAgent(), detail, null);
    }

    /** Who acted, and from where. */
    public record Actor(String tokenId, String principal, String clientIp, String userAgent) {
    }
}
