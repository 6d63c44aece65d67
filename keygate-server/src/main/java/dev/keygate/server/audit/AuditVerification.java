package dev.keygate.server.audit;

import java.util.List;

/**
 * What verifying the audit log found: per chain, how much was checked, where it started, and the first broken link.
 *
 * @param unchainedEvents events no chain walk reaches (no chain, or no seq of 1 or more): none on an intact store
 *                        (the server chains every event, and those of an upgraded store at start-up); any such
 *                        row was inserted by hand
 */
public record AuditVerification(List<ChainReport> chains, long unchainedEvents) {

    public AuditVerification {
        chains = List.copyOf(chains);
    }

    /** Whether every chain is intact and no event is outside them. */
    public boolean intact() {
        return unchainedEvents == 0 && chains.stream().allMatch(ChainReport::intact);
    }

    /**
     * One chain's verification.
     *
     * @param eventsChecked how many events were checked (up to the first broken link)
     * @param firstSeq      the seq of the first event checked, or {@code null} if none was
     * @param lastSeq       the seq of the last event checked, or {@code null} if none was
     * @param headSeq       the head's seq when verification began: events appended later are not checked
     * @param checkpoint    the checkpoint verification started from, or {@code null} (then from the chain's start)
     * @param broken        the first broken link, or {@code null} if the chain is intact
     */
    public record ChainReport(AuditChain chain, long eventsChecked, Long firstSeq, Long lastSeq, long headSeq,
                              CheckpointReport checkpoint, Break broken) {

        public boolean intact() {
            return broken == null;
        }
    }

    /** A checkpoint and whether its signature holds under this server's audit key. */
    public record CheckpointReport(Checkpoint checkpoint, AuditKey.SignatureCheck signature) {
    }

    /**
     * The first broken link of a chain.
     *
     * @param seq    where the chain breaks: the event that does not check out, or the first one missing
     * @param id     the stored id of the event concerned, or {@code null} when there is no such row (deleted)
     * @param detail what was found, for people
     */
    public record Break(Problem problem, long seq, Long id, String detail) {
    }

    /** What a broken link means. */
    public enum Problem {
        /** An event's stored hash is not the hash of its content: the row was edited (or its hash was). */
        HASH_MISMATCH("an event was edited"),
        /** Seqs jump: the events in between were deleted. */
        SEQ_GAP("events were deleted"),
        /** Ids do not grow with seqs: rows were moved, their contents swapped or re-inserted. */
        OUT_OF_ORDER("events were reordered"),
        /** The head is beyond the last event stored: the newest events were deleted. */
        TRUNCATED("the newest events were deleted"),
        /** The last event checks out but is not the one the head names: it was rewritten with its hash. */
        HEAD_MISMATCH("the newest event was rewritten"),
        /** Events exist beyond the head: they were inserted without going through the server. */
        BEYOND_HEAD("events were inserted"),
        /** An event at or before the checkpoint is still stored, though retention deleted those. */
        BEFORE_CHECKPOINT("events were inserted before the checkpoint"),
        /** The checkpoint's signature does not hold under the audit key: it was forged or edited. */
        CHECKPOINT_SIGNATURE("the checkpoint was forged or edited"),
        /** The checkpoint names a key this server does not hold, so it cannot be checked. */
        CHECKPOINT_KEY_UNKNOWN("the checkpoint was signed by another audit key");

        private final String meaning;

        Problem(String meaning) {
            this.meaning = meaning;
        }

        /** {@code hash_mismatch}, {@code seq_gap}, ...: the API's name. */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** What it most likely means, in a few words. */
        public String meaning() {
            return meaning;
        }
    }
}
