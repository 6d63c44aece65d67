package dev.keygate.server.audit;

/**
 * The hash chains of the audit log. Each event belongs to exactly one, chosen by its action: verifications go
 * to {@link #VERIFY}, which retention prunes from its old end; everything else (admin changes, alerts) goes to
 * {@link #ADMIN}, which is kept for ever. Two chains rather than one, so that pruning verifications never cuts
 * into the record of admin changes, and admin changes never wait on a busy verify writer.
 *
 * <p>The declaration order is the lock order: a transaction that appends to both chains locks {@code ADMIN}'s
 * head before {@code VERIFY}'s, so that two writers never wait on each other's head.
 */
public enum AuditChain {
    ADMIN("admin"),
    VERIFY("verify");

    /** The action of verify events. */
    public static final String VERIFY_ACTION = "verify";

    /** Kept, not derived from {@link #name()} each time: every event's canonical form and row name its chain. */
    private final String apiName;

    AuditChain(String apiName) {
        this.apiName = apiName;
    }

    /** The chain an event of {@code action} belongs to. */
    public static AuditChain of(String action) {
        return VERIFY_ACTION.equals(action) ? VERIFY : ADMIN;
    }

    /** {@code admin} or {@code verify}: the name in the store, the API and the canonical form. */
    public String apiName() {
        return apiName;
    }

    /** Whether retention prunes this chain. */
    public boolean pruned() {
        return this == VERIFY;
    }

    /** The chain named {@code name}, or {@code null} if there is none. */
    public static AuditChain fromApiName(String name) {
        for (AuditChain c : values()) {
            if (c.apiName().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
