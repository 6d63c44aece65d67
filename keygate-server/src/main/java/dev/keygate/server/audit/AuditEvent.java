package dev.keygate.server.audit;

import java.time.Instant;
import java.util.List;

/**
 * One audit event: an admin change, a verification or an alert. Holds no secret, ever: tokens are named by their
 * public id.
 *
 * @param id             the store's number, the global order of events, or {@code null} before it is stored
 * @param action         {@code role.create}, {@code token.revoke}, {@code verify}, ...
 * @param actorTokenId   the id of the token that acted (for {@code verify}: the token verified), or {@code null}
 * @param actorPrincipal the principal of that token, or {@code null}
 * @param target         what was acted on: a role or principal name or a token id, or {@code null}
 * @param permission     the permission asked (verify) or required (admin), or {@code null}
 * @param decision       {@code allow} or {@code deny}
 * @param code           {@code OK} for admin changes; the verify code for verifications
 * @param detail         a short human-readable note (roles granted, revoke reason, ...), or {@code null}
 * @param requestIp      for {@code verify}: the address the token was used from as the caller stated it
 *                       ({@code context.ip}), in canonical form once the {@link AuditWriter} took it (the
 *                       verify path queues the text as given), or {@code null}; {@code clientIp} is the address
 *                       of the service that asked
 * @param repeats        for an event that happened more than once ({@link Repeats}): when each occurrence after the
 *                       first happened, as comma-separated milliseconds after {@code time}, ascending; {@code null}
 *                       for an event that happened once (every admin event)
 * @param chain          the hash chain it belongs to ({@link AuditChain#of} its action), or {@code null} before
 *                       it is stored
 * @param seq            its number in that chain (1, 2, ... without gaps), or {@code null} before it is stored
 * @param hash           SHA-256 of the previous event's hash and this event ({@link ChainHash}), or {@code null}
 *                       before it is stored
 */
public record AuditEvent(Long id, Instant time, String action, String actorTokenId, String actorPrincipal,
                         String target, String permission, String decision, String code, String clientIp,
                         String userAgent, String detail, String requestIp, String repeats, AuditChain chain,
                         Long seq, String hash) {

    public static final String OK = "OK";
    public static final int MAX_USER_AGENT = 256;

    /**
     * An event to store. What a caller controls is bounded (a huge User-Agent header cannot bloat the log) and made
     * well-formed: the hash covers each field's UTF-8, a lone surrogate has none, and drivers replace it each their
     * own way, so it is replaced here, before anything is hashed or stored. (The canonical constructor, which the
     * store reads rows with, changes nothing: verification must hash what is stored, byte for byte.)
     */
    public AuditEvent(Long id, Instant time, String action, String actorTokenId, String actorPrincipal,
                      String target, String permission, String decision, String code, String clientIp,
                      String userAgent, String detail, String requestIp) {
        this(id, time, action, wellFormed(actorTokenId), wellFormed(actorPrincipal), wellFormed(target),
                wellFormed(permission), decision, code, clientIp,
                wellFormed(userAgent == null || userAgent.length() <= MAX_USER_AGENT ? userAgent
                        : userAgent.substring(0, MAX_USER_AGENT)),
                wellFormed(detail), requestIp, null, null, null, null);
    }

    /** How many times it happened: 1, or 1 plus the occurrences {@link #repeats} lists. */
    public int count() {
        return Repeats.count(repeats);
    }

    /**
     * When the occurrences after the first happened, in milliseconds after {@code time}, ascending; {@code null} for
     * an event that happened once (or whose stored repeats were edited into something else).
     */
    public List<Long> repeatOffsets() {
        return Repeats.offsets(repeats);
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

    private static String wellFormed(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isSurrogate(ch)) {
                boolean paired = Character.isHighSurrogate(ch) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    return replaceLoneSurrogates(s);
                }
                i++;
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(ch).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(ch) ? '\uFFFD' : ch);
            }
        }
        return sb.toString();
    }
}
