package dev.keygate.server.audit;

import dev.keygate.server.config.ServerConfig;
import dev.keygate.server.store.Database;
import dev.keygate.server.testing.TestServer;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a store's chains directly, independently of the server's verification: every event of a chain in seq
 * order, 1 to the head without a gap, ids growing with seq, each hash recomputed from the previous one.
 */
final class ChainCheck {

    private ChainCheck() {
    }

    /** Asserts that both chains of {@code server}'s store are intact from genesis; returns each chain's events. */
    static List<List<AuditEvent>> assertIntactFromGenesis(TestServer server) {
        return assertIntactFromGenesis(server.storeConfig());
    }

    /** As {@link #assertIntactFromGenesis(TestServer)}, for the store {@code config} names. */
    static List<List<AuditEvent>> assertIntactFromGenesis(ServerConfig config) {
        try (Database db = Database.open(config)) {
            JdbcAuditStore store = new JdbcAuditStore(db.dialect());
            List<List<AuditEvent>> all = new ArrayList<>();
            for (AuditChain chain : AuditChain.values()) {
                List<AuditEvent> events = db.read(c -> store.chainPage(c, chain, 0, Integer.MAX_VALUE));
                AuditStore.ChainHead head = db.read(c -> store.head(c, chain));
                ChainHash hasher = new ChainHash();
                String previous = ChainHash.GENESIS;
                long lastId = 0;
                for (int i = 0; i < events.size(); i++) {
                    AuditEvent e = events.get(i);
                    assertThat(e.chain()).as("chain of %s", e).isEqualTo(chain);
                    assertThat(e.seq()).as("seq of event %d of %s", i, chain).isEqualTo(i + 1L);
                    assertThat(e.id()).as("id of %s seq %d", chain, e.seq()).isGreaterThan(lastId);
                    assertThat(e.hash()).as("hash of %s seq %d", chain, e.seq())
                            .isEqualTo(hasher.next(previous, chain, e.seq(), e));
                    assertThat(AuditChain.of(e.action())).isEqualTo(chain);
                    previous = e.hash();
                    lastId = e.id();
                }
                assertThat(head).as("head of %s", chain).isEqualTo(new AuditStore.ChainHead(events.size(), previous));
                all.add(events);
            }
            assertThat(db.read(store::countUnchained)).isZero();
            return all;
        }
    }
}
