package dev.keygate.server.audit;

import java.time.Instant;

/**
 * What retention leaves of a chain's pruned prefix: the last seq it deleted and that event's hash, signed with
 * HMAC-SHA256 under the audit key ({@link AuditKey}). Verification of what remains starts from it: the first
 * event left must follow {@code hash}, and the signature shows that the checkpoint was written by a holder of
 * the key rather than by someone who deleted events and wrote a checkpoint to cover it.
 *
 * @param seq          the last seq deleted; the next event of the chain is {@code seq + 1}
 * @param hash         that event's hash
 * @param time         when the checkpoint was written
 * @param prunedBefore the retention cut-off: events older than this were deleted
 * @param keyId        which key signed it ({@link AuditKey#keyId()}): lets verification tell a signature under
 *                     another key from a forged one
 * @param signature    HMAC-SHA256 over {@link #signedForm()}, lowercase hex
 */
public record Checkpoint(AuditChain chain, long seq, String hash, Instant time, Instant prunedBefore, String keyId,
                         String signature) {

    static final String FORMAT = "keygate-audit-checkpoint-v1";

    /** The bytes signed: the same length-prefixed form as events ({@link CanonicalForm}), fields in this order. */
    byte[] signedForm() {
        return new CanonicalForm()
                .field(FORMAT)
                .field(chain.apiName())
                .field(seq)
                .field(hash)
                .field(time.toEpochMilli())
                .field(prunedBefore.toEpochMilli())
                .field(keyId)
                .bytes();
    }
}
