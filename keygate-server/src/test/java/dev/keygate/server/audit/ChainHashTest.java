package dev.keygate.server.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known answers for the chain hash, computed from docs/audit.md's specification with Python's hashlib (the
 * re-implementation an auditor would write), and the reuse of one {@link ChainHash} across events.
 */
class ChainHashTest {

    private static final String FIRST = "f7888f5e35ad761a0b299c868b16ecdcafe885e16394030e667423ca77dff473";
    private static final String SECOND = "4f5492daac93769d1507c781383a4b54976304e935430677b8d0696f32fb1b26";

    @Test
    void nextWhenTwoEventsFollowGenesisThenTheSpecifiedHashes() {
        ChainHash hasher = new ChainHash();

        String first = hasher.next(ChainHash.GENESIS, AuditChain.VERIFY, 1, event(1_764_700_000_123L));
        String second = hasher.next(first, AuditChain.VERIFY, 2, event(1_764_700_000_124L));

        assertThat(first).isEqualTo(FIRST);
        assertThat(second).isEqualTo(SECOND);
    }

    @Test
    void nextWhenThePreviousIsNotTheLastHashReturnedThenItIsTheOneHashed() {
        ChainHash reused = new ChainHash();
        reused.next(ChainHash.GENESIS, AuditChain.VERIFY, 1, event(1_764_700_000_123L));
        reused.next(FIRST, AuditChain.VERIFY, 2, event(1_764_700_000_124L));

        // Back to genesis, then a previous hash equal to (not the same string as) the last one returned.
        String again = reused.next(ChainHash.GENESIS, AuditChain.VERIFY, 1, event(1_764_700_000_123L));
        String next = reused.next(new String(FIRST.toCharArray()), AuditChain.VERIFY, 2, event(1_764_700_000_124L));

        assertThat(again).isEqualTo(FIRST);
        assertThat(next).isEqualTo(SECOND);
    }

    @Test
    void nextWhenTheEventHappenedSeveralTimesThenTheV2FormWithItsRepeats() {
        AuditEvent e = event(1_764_700_000_123L);
        AuditEvent repeated = new AuditEvent(null, e.time(), e.action(), e.actorTokenId(), e.actorPrincipal(),
                e.target(), e.permission(), e.decision(), e.code(), e.clientIp(), e.userAgent(), e.detail(),
                e.requestIp(), "0,2,15", null, null, null);

        String hash = new ChainHash().next(ChainHash.GENESIS, AuditChain.VERIFY, 1, repeated);

        assertThat(hash).isEqualTo("aeffda74dab1ba4036a7c8328930c832a592c61410faa3155977d3f44e2208a2");
        assertThat(repeated.count()).isEqualTo(4);
    }

    private static AuditEvent event(long millis) {
        return new AuditEvent(null, Instant.ofEpochMilli(millis), "verify", "tok_abc", "svc-\u00e9", "tok_abc",
                "bench.items:read", "allow", "VALID", "127.0.0.1", "ua", null, "10.1.2.3");
    }
}
