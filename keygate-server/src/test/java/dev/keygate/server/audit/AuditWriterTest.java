package dev.keygate.server.audit;

import dev.keygate.server.store.Database;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.token.JdbcTokenStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer's promises under concurrency: bounded, never blocking, and nothing accepted is ever lost. */
class AuditWriterTest extends EndToEndTest {

    @Test
    void closeWhenRacingManySubmittersThenEveryAcceptedEventIsWrittenAndLaterOnesRefused() throws Exception {
        String action = TestServer.unique("race-close");
        int threads = 4;
        try (Database db = Database.open(server.storeConfig())) {
            AuditWriter writer = new AuditWriter(db, new JdbcAuditStore(db.dialect()), new JdbcTokenStore(db.dialect()),
                    1_000_000);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch running = new CountDownLatch(threads);
            List<Callable<Long>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(() -> {
                    running.countDown();
                    long accepted = 0;
                    while (writer.submit(event(action))) { // until close refuses
                        accepted++;
                    }
                    return accepted;
                });
            }
            List<Future<Long>> results = new ArrayList<>();
            for (Callable<Long> w : work) {
                results.add(pool.submit(w));
            }
            running.await();
            Thread.sleep(50);

            writer.close();

            long accepted = 0;
            for (Future<Long> f : results) {
                accepted += f.get();
            }
            pool.shutdown();
            assertThat(accepted).isPositive();
            assertThat(writer.submit(event(action))).isFalse();
            assertThat(writer.pending()).isZero();
            assertThat(writer.written()).isEqualTo(accepted);
            assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action = '" + action + "'"))
                    .isEqualTo(accepted);
        }
    }

    @Test
    void submitWhenQueueFullThenDropsAndCountsWithoutBlocking() throws Exception {
        String action = TestServer.unique("bounded");
        int submitted = 10_000;
        try (Database db = Database.open(server.storeConfig())) {
            AuditWriter writer = new AuditWriter(db, new JdbcAuditStore(db.dialect()), new JdbcTokenStore(db.dialect()),
                    5);
            long accepted = 0;
            for (int i = 0; i < submitted; i++) {
                if (writer.submit(event(action))) {
                    accepted++;
                }
            }

            writer.close();

            assertThat(accepted).isPositive().isLessThan(submitted);
            assertThat(writer.dropped()).isEqualTo(submitted - accepted);
            assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action = '" + action + "'"))
                    .isEqualTo(accepted);
        }
    }

    private static AuditEvent event(String action) {
        return new AuditEvent(null, Instant.now(), action, null, null, null, null, "allow", "VALID", "10.0.0.1",
                "audit-writer-test", null, null);
    }
}
