package dev.keygate.server.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash that links an event to the one before it in its chain:
 * {@code SHA-256(previous hash as 32 raw bytes || canonical form of the event)}, as lowercase hex. The first
 * event of a chain follows {@link #GENESIS}. The canonical form ({@link CanonicalForm}) holds, in this order:
 * the format tag {@value #FORMAT}, chain, seq, time in epoch milliseconds, action, actor_token_id,
 * actor_principal, target, permission, decision, code, client_ip, user_agent, detail, request_ip. An event that
 * happened several times ({@link Repeats}) is hashed in the form {@value #FORMAT_REPEATED}: the same fields after
 * that tag, then its repeats; so an event that happened once hashes as it always did. The store's
 * {@code id} is left out (the database assigns it after the hash is known); verification checks instead that
 * ids grow with seq in each chain, which holds because seqs are assigned under the head lock.
 *
 * <p>Plain SHA-256, not a keyed hash, so that anyone holding the rows can check them; the key protects only
 * checkpoints. Not thread-safe (it reuses one digest, one buffer and the last hash's bytes): one per thread. The
 * audit writer and verification hash event after event, each following the one before, so the reuse spares
 * them an allocation of every field and a parse of every previous hash.
 */
final class ChainHash {

    /** The previous hash of a chain's first event: 32 zero bytes. */
    static final String GENESIS = "0".repeat(64);
    static final String FORMAT = "keygate-audit-v1";
    static final String FORMAT_REPEATED = "keygate-audit-v2";
    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha256;
    private final CanonicalForm form = new CanonicalForm();
    /** The last hash this instance returned, and its bytes: the next event's previous hash, as a rule. */
    private String lastHex;
    private byte[] lastBytes;

    ChainHash() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The hash of {@code e} as event {@code seq} of {@code chain}, following {@code previous}.
     *
     * @throws IllegalArgumentException if {@code previous} is not 64 hex digits (a stored hash that was edited
     *                                  into something that is not a hash)
     */
    String next(String previous, AuditChain chain, long seq, AuditEvent e) {
        sha256.reset();
        sha256.update(previous.equals(lastHex) ? lastBytes : HEX.parseHex(previous));
        canonical(form.reset(), chain, seq, e).updateDigest(sha256);
        lastBytes = sha256.digest();
        lastHex = HEX.formatHex(lastBytes);
        return lastHex;
    }

    /** {@code true} if {@code hash} is 64 lowercase hex digits, as every hash this class makes. */
    static boolean wellFormed(String hash) {
        if (hash == null || hash.length() != 64) {
            return false;
        }
        for (int i = 0; i < hash.length(); i++) {
            char ch = hash.charAt(i);
            if (!(ch >= '0' && ch <= '9') && !(ch >= 'a' && ch <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static CanonicalForm canonical(CanonicalForm form, AuditChain chain, long seq, AuditEvent e) {
        form.field(e.repeats() == null ? FORMAT : FORMAT_REPEATED)
                .field(chain.apiName())
                .field(seq)
                .field(e.time().toEpochMilli())
                .field(e.action())
                .field(e.actorTokenId())
                .field(e.actorPrincipal())
                .field(e.target())
                .field(e.permission())
                .field(e.decision())
                .field(e.code())
                .field(e.clientIp())
                .field(e.userAgent())
                .field(e.detail())
                .field(e.requestIp());
        return e.repeats() == null ? form : form.field(e.repeats());
    }
}
