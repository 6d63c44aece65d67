package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * What {@link KeygateClient#verifyAudit()} found: per hash chain, how much was checked and the first broken link.
 *
 * @param intact          whether every chain is intact and no event is outside them
 * @param unchainedEvents events that belong to no chain (inserted by hand); 0 on an intact store
 * @param chains          one report per chain ({@code admin}, {@code verify}); never null
 */
public record AuditVerification(boolean intact, long unchainedEvents, List<ChainReport> chains) {

    public AuditVerification {
        chains = chains == null ? List.of() : List.copyOf(chains);
    }

    /**
     * One chain, walked from its latest checkpoint (or its start) to its head as it was when the walk began.
     *
     * @param eventsChecked how many events were checked, up to the first broken link
     * @param firstSeq      the first event checked, or {@code null} if none was
     * @param lastSeq       the last event checked, or {@code null} if none was
     * @param checkpoint    where the walk started, or {@code null} when the chain was never pruned
     * @param broken        the first broken link, or {@code null} when the chain is intact
     */
    public record ChainReport(String chain, boolean intact, long eventsChecked, Long firstSeq, Long lastSeq,
                              long headSeq, Checkpoint checkpoint, Break broken) {
    }

    /**
     * A retention checkpoint: the chain was pruned up to {@code seq}.
     *
     * @param signature {@code valid}, {@code invalid} or {@code unknown_key}
     */
    public record Checkpoint(long seq, String hash, Instant time, Instant prunedBefore, String keyId,
                             String signature) {
    }

    /**
     * The first broken link of a chain.
     *
     * @param problem {@code hash_mismatch}, {@code seq_gap}, {@code out_of_order}, {@code truncated},
     *                {@code head_mismatch}, {@code beyond_head}, {@code before_checkpoint},
     *                {@code checkpoint_signature} or {@code checkpoint_key_unknown} (docs/audit.md)
     * @param meaning what it most likely means, in words
     * @param seq     where the chain breaks
     * @param id      the stored id of the event concerned, or {@code null} when its row is missing
     */
    public record Break(String problem, String meaning, long seq, Long id, String detail) {
    }
}
