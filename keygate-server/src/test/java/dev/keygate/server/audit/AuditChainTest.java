package dev.keygate.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.AdminRecovery;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.config.ServerConfig;
import dev.keygate.server.store.Database;
import dev.keygate.server.store.Dialect;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.Postgres;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.StoreKind;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.token.JdbcTokenStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hash chains as the server writes them: one gap-free chain per kind of event, whoever writes (admin
 * requests in their transactions, the verify writer in batches, both at once), and a store upgraded from before
 * the chain gets its old events chained, in id order, at start-up.
 */
class AuditChainTest extends EndToEndTest {

    @Test
    void appendWhenAdminChangesAndVerificationsThenEachGoesToItsChainWithLinkedHashes() {
        JsonNode minted = server.principalWithToken(TestServer.unique("chain-svc"), "chain.items:read");
        server.verify(minted.get("token").asText(), "chain.items:read");
        server.verify(minted.get("token").asText(), "chain.items:write");
        server.flushAudit();

        List<List<AuditEvent>> chains = ChainCheck.assertIntactFromGenesis(server);

        List<AuditEvent> admin = chains.get(AuditChain.ADMIN.ordinal());
        List<AuditEvent> verify = chains.get(AuditChain.VERIFY.ordinal());
        assertThat(admin).extracting(AuditEvent::action).contains("role.create", "principal.create", "token.create")
                .doesNotContain("verify");
        assertThat(verify).extracting(AuditEvent::action).containsOnly("verify");
        assertThat(verify).filteredOn(e -> minted.get("id").asText().equals(e.target()))
                .extracting(AuditEvent::code).containsExactly("VALID", "FORBIDDEN");
    }

    @Test
    void appendWhenAdminChangesAndVerificationsRaceThenBothChainsStayGapFree() throws Exception {
        JsonNode minted = server.principalWithToken(TestServer.unique("chain-race"), "keygate.roles:write");
        String token = minted.get("token").asText();
        String base = TestServer.unique("chain-race-role");

        List<Integer> created = Race.times(6, () -> {
            int n = 0;
            for (int i = 0; i < 10; i++) {
                String name = TestServer.unique(base);
                if (server.post("/v1/roles", token, Map.of("name", name, "permissions", List.of("a:read")))
                        .status() == 201) {
                    n++;
                }
                server.verify(token, "keygate.roles:write");
            }
            return n;
        });
        server.flushAudit();

        assertThat(created).containsOnly(10);
        List<List<AuditEvent>> chains = ChainCheck.assertIntactFromGenesis(server);
        assertThat(chains.get(AuditChain.ADMIN.ordinal())).filteredOn(e -> e.target() != null
                && e.target().startsWith(base)).hasSize(60);
        assertThat(chains.get(AuditChain.VERIFY.ordinal()).stream().filter(e -> minted.get("id").asText()
                .equals(e.target())).mapToInt(AuditEvent::count).sum()).isEqualTo(60);
    }

    /**
     * The writer locks tokens (last use) and then, through a handler, the admin head (alerts are admin events);
     * disabling a principal used to lock the admin head first and its tokens after, and the two deadlocked on
     * PostgreSQL. Events are now appended after every other lock of a transaction.
     */
    @Test
    void disableWhenAuditWriterAppendsAdminEventsForTheSameTokensThenNeitherDeadlocks() throws Exception {
        String alert = TestServer.unique("alert.test");
        VerifyEventHandler alerting = new VerifyEventHandler() {
            @Override
            public void inTransaction(Connection c, List<AuditEvent> batch) throws SQLException {
                try {
                    Thread.sleep(20); // holds the tokens' locks a while, as a slow rule would
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                AuditEvent event = new AuditEvent(null, Instant.now(), alert, batch.get(0).actorTokenId(), null, null,
                        null, "deny", "OK", null, null, "test alert", null);
                new JdbcAuditStore(store == StoreKind.POSTGRESQL ? Dialect.POSTGRESQL : Dialect.SQLITE)
                        .append(c, List.of(event));
            }
        };
        try (Database db = Database.open(server.storeConfig())) {
            AuditWriter writer = new AuditWriter(db, new JdbcAuditStore(db.dialect()),
                    new JdbcTokenStore(db.dialect()), 10_000, List.of(alerting));
            int rounds = 8;
            for (int i = 0; i < rounds; i++) {
                String principal = TestServer.unique("chain-deadlock");
                server.createPrincipal(principal, "service");
                String role = server.newRole("chain-deadlock", "a:read");
                String tokenId = server.mint(principal, List.of(role), Map.of()).get("id").asText();

                List<Integer> statuses = Race.all(List.of(
                        () -> server.post("/v1/principals/" + principal + "/disable", server.adminToken(),
                                Map.of()).status(),
                        () -> {
                            for (int j = 0; j < 20; j++) {
                                writer.submit(new AuditEvent(null, Instant.now(), "verify", tokenId, principal,
                                        tokenId, "a:read", "allow", "VALID", null, null, null, null));
                            }
                            return 200;
                        }));

                assertThat(statuses).containsOnly(200);
            }
            writer.close();
            assertThat(writer.dropped()).isZero();
            assertThat(writer.written()).isEqualTo(rounds * 20L);
        }
        ChainCheck.assertIntactFromGenesis(server);
    }

    @Test
    void appendWhenConnectionIsInAutoCommitThenRefusedAndNothingWritten() {
        String action = TestServer.unique("chain.autocommit");
        try (Database db = Database.open(server.storeConfig())) {
            JdbcAuditStore audit = new JdbcAuditStore(db.dialect());
            AuditEvent event = new AuditEvent(null, Instant.now(), action, null, "system", null, null, "allow", "OK",
                    null, null, null, null);

            assertThatThrownBy(() -> db.autoCommit(c -> {
                audit.append(c, List.of(event));
                return null;
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
        }
        assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE action = '" + action + "'")).isZero();
    }

    @Test
    void startWhenStoreHoldsEventsFromBeforeTheChainThenChainsThemInIdOrderBeforeNewOnes(@TempDir Path dir)
            throws Exception {
        withLegacyStore(dir, url -> {
            try (TestServer upgraded = TestServer.start(store, b -> b.dbUrl(url))) {
                upgraded.createRole(TestServer.unique("after-upgrade"), "a:read");

                List<List<AuditEvent>> chains = ChainCheck.assertIntactFromGenesis(upgraded);

                assertThat(chains.get(AuditChain.ADMIN.ordinal())).extracting(e -> e.action() + " " + e.target())
                        .startsWith("role.create legacy-role", "token.revoke tok_legacy1");
                assertThat(chains.get(AuditChain.ADMIN.ordinal())).extracting(AuditEvent::action)
                        .endsWith("role.create");
                assertThat(chains.get(AuditChain.VERIFY.ordinal())).extracting(AuditEvent::target)
                        .containsExactly("tok_legacy1", "tok_legacy2");

                // Chained once: a restart finds nothing left to chain and changes nothing.
                List<List<AuditEvent>> before = chains;
                upgraded.restart();
                assertThat(ChainCheck.assertIntactFromGenesis(upgraded).subList(0, 2)).isEqualTo(before);
            }
        });
    }

    @Test
    void recoverWhenStoreHoldsEventsFromBeforeTheChainThenChainsThemBeforeTheRecoveryEvents(@TempDir Path dir)
            throws Exception {
        withLegacyStore(dir, url -> {
            ServerConfig config = ServerConfig.builder().dbUrl(url)
                    .dbUser(store == StoreKind.POSTGRESQL ? Postgres.USER : null).build();

            assertThat(AdminRecovery.mintAdminToken(config)).startsWith("kg_");

            List<List<AuditEvent>> chains = ChainCheck.assertIntactFromGenesis(config);
            assertThat(chains.get(AuditChain.ADMIN.ordinal())).extracting(e -> e.action() + " " + e.detail())
                    .startsWith("role.create null", "token.revoke null")
                    .anyMatch(s -> s.startsWith("token.create recovery"));
        });
    }

    @Test
    void startWhenTwoNodesUpgradeTheSameStoreAtOnceThenEveryOldEventIsChainedOnceInIdOrder(@TempDir Path dir)
            throws Exception {
        withLegacyStore(dir, url -> {
            try (Connection c = connect(url)) {
                c.setAutoCommit(false);
                for (int i = 0; i < 2 * LegacyEvents.BATCH + 500; i++) {
                    insertLegacy(c, i % 3 == 0 ? "role.update" : "verify", "tok_bulk" + i);
                }
                c.commit();
            }
            ServerConfig config = ServerConfig.builder().listen("127.0.0.1:0").dbUrl(url)
                    .dbUser(store == StoreKind.POSTGRESQL ? Postgres.USER : null).auditKey(AuditRetentionTest.KEY)
                    .bootstrapTokenFile(dir.resolve("admin-token").toString()).auditPruneInterval(Duration.ZERO)
                    .build();
            // Migrated before the race: what races is the chaining of the old events, not the migration.
            Database.open(config).close();

            List<KeygateServer> nodes = Race.times(2, () -> KeygateServer.start(config));
            nodes.forEach(KeygateServer::close);

            List<List<AuditEvent>> chains = ChainCheck.assertIntactFromGenesis(config);
            long bulk = chains.stream().flatMap(List::stream).filter(e -> e.target() != null
                    && e.target().startsWith("tok_bulk")).count();
            assertThat(bulk).isEqualTo(2 * LegacyEvents.BATCH + 500);
            assertThat(chains.get(AuditChain.ADMIN.ordinal())).extracting(e -> e.action() + " " + e.target())
                    .startsWith("role.create legacy-role", "token.revoke tok_legacy1");
        });
    }

    /** Runs {@code test} on a store as the release before the chain left it: migrated to V6, with events. */
    private void withLegacyStore(Path dir, LegacyTest test) throws Exception {
        String schema = null;
        String url;
        if (store == StoreKind.POSTGRESQL) {
            Postgres.requireAvailable();
            schema = Postgres.createSchema();
            url = Postgres.urlFor(schema);
        } else {
            url = "jdbc:sqlite:" + dir.resolve("legacy.db");
        }
        try {
            Flyway.configure().dataSource(url, store == StoreKind.POSTGRESQL ? Postgres.USER : null, null)
                    .locations("classpath:db/migration/" + (store == StoreKind.POSTGRESQL ? "postgresql" : "sqlite"))
                    .target("6").load().migrate();
            try (Connection c = connect(url)) {
                insertLegacy(c, "role.create", "legacy-role");
                insertLegacy(c, "verify", "tok_legacy1");
                insertLegacy(c, "token.revoke", "tok_legacy1");
                insertLegacy(c, "verify", "tok_legacy2");
            }
            test.run(url);
        } finally {
            if (schema != null) {
                Postgres.dropSchema(schema);
            }
        }
    }

    @FunctionalInterface
    private interface LegacyTest {
        void run(String url) throws Exception;
    }

    private Connection connect(String url) throws SQLException {
        return store == StoreKind.POSTGRESQL ? DriverManager.getConnection(url, Postgres.USER, null)
                : DriverManager.getConnection(url);
    }

    private static void insertLegacy(Connection c, String action, String target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_events (time, action, actor_principal, "
                + "target, decision, code) VALUES (?, ?, 'system', ?, 'allow', ?)")) {
            ps.setLong(1, System.currentTimeMillis());
            ps.setString(2, action);
            ps.setString(3, target);
            ps.setString(4, action.equals("verify") ? "VALID" : "OK");
            ps.executeUpdate();
        }
    }
}
