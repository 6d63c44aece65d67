package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the audit log.
 *
 * <p>For admin changes the actor is the calling token and {@code permission} the one the route required; for
 * {@code verify} the actor and the target are the verified token (both {@code null} for {@code NOT_FOUND}) and
 * {@code permission} is the one asked. Bootstrap and recovery events have the actor principal {@code system}.
 *
 * @param id             a positive number, increasing with time
 * @param time           when it happened
 * @param action         {@code role.create}, {@code role.update}, {@code role.delete}, {@code principal.create},
 *                       {@code token.create}, {@code token.revoke} or {@code verify}
 * @param actorTokenId   the id of the token that acted (for {@code verify}: the token verified), or {@code null}
 * @param actorPrincipal that token's principal, or {@code null}
 * @param target         what was acted on (a role name, a principal name, a token id), or {@code null}
 * @param permission     the permission asked (verify) or needed (admin actions), or {@code null}
 * @param decision       {@code allow} or {@code deny}
 * @param code           {@code OK} for admin events, the verify code for {@code verify}
 * @param clientIp       the caller's address, or {@code null}
 * @param userAgent      the caller's user agent, or {@code null}
 * @param detail         a short note (roles granted, revoke reason), never a secret; or {@code null}
 * @param requestIp      for {@code verify}: the address the token was used from, as the verifying service stated
 *                       it; or {@code null}
 * @param chain          the hash chain the event belongs to: {@code verify} for verifications, {@code admin} for
 *                       everything else; {@code null} from a server older than the chain
 * @param seq            its number in that chain (1, 2, ... without gaps), or {@code null} likewise
 * @param hash           SHA-256 of the previous event's hash and this event (lowercase hex), or {@code null} likewise
 * @param count          how many times it happened: verifications that differ only in their time and that the server
 *                       wrote together are one event; 1 for every other event (and from servers before repeats)
 * @param repeatOffsetsMs when {@code count} is above 1: when each occurrence after the first happened, in
 *                       milliseconds after {@code time}, ascending; else {@code null}
 */
public record AuditEvent(
        long id,
        Instant time,
        String action,
        String actorTokenId,
        String actorPrincipal,
        String target,
        String permission,
        String decision,
        String code,
        String clientIp,
        String userAgent,
        String detail,
        String requestIp,
        String chain,
        Long seq,
        String hash,
        Integer count,
        List<Long> repeatOffsetsMs) {

    public AuditEvent {
        count = count == null ? 1 : count;
        repeatOffsetsMs = repeatOffsetsMs == null ? null : List.copyOf(repeatOffsetsMs);
    }

    /** An event that happened once. */
    public AuditEvent(long id, Instant time, String action, String actorTokenId, String actorPrincipal, String target,
                      String permission, String decision, String code, String clientIp, String userAgent,
                      String detail, String requestIp, String chain, Long seq, String hash) {
        this(id, time, action, actorTokenId, actorPrincipal, target, permission, decision, code, clientIp, userAgent,
                detail, requestIp, chain, seq, hash, 1, null);
    }

    /** An event without the fields added by the hash chain (as servers before it sent). */
    public AuditEvent(long id, Instant time, String action, String actorTokenId, String actorPrincipal, String target,
                      String permission, String decision, String code, String clientIp, String userAgent,
                      String detail) {
        this(id, time, action, actorTokenId, actorPrincipal, target, permission, decision, code, clientIp, userAgent,
                detail, null, null, null, null);
    }
}
