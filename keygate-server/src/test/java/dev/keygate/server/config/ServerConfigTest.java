package dev.keygate.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {

    @Test
    void buildWhenDefaultsThenListensOnLoopback8080WithSqliteInKeygateData() {
        ServerConfig c = ServerConfig.builder().build();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dbUrl()).isEqualTo("jdbc:sqlite:keygate-data/keygate.db");
        assertThat(c.embeddedStore()).isTrue();
        assertThat(c.defaultTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.maxTtl()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void buildWhenSeveralValuesInvalidThenReportsEveryProblemNamingFlagAndValue() {
        assertThatThrownBy(() -> ServerConfig.builder().listen("nope").maxTtl("forever").defaultTtl("1w")
                .dbUrl("jdbc:mysql://x/y").build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "--listen (KEYGATE_LISTEN): 'nope' is not host:port (e.g. 127.0.0.1:8080)",
                        "--db-url (KEYGATE_DB_URL): 'jdbc:mysql://x/y' is not supported: use "
                                + "jdbc:postgresql://host:port/db or jdbc:sqlite:path",
                        "--default-ttl (KEYGATE_DEFAULT_TTL): '1w' must be a positive whole number followed by s, m,"
                                + " h or d (e.g. 30m, 24h, 7d)",
                        "--max-ttl (KEYGATE_MAX_TTL): 'forever' must be a positive whole number followed by s, m, h"
                                + " or d (e.g. 30m, 24h, 7d)"));
    }

    @Test
    void buildWhenPortOutOfRangeThenRejected() {
        assertThatThrownBy(() -> ServerConfig.builder().listen("127.0.0.1:70000").build())
                .hasMessageContaining("no valid port");
    }

    @Test
    void buildWhenIpv6ListenThenHostIsUnbracketed() {
        ServerConfig c = ServerConfig.builder().listen("[::1]:0").build();
        assertThat(c.host()).isEqualTo("::1");
        assertThat(c.port()).isZero();
    }

    @Test
    void buildWhenDefaultTtlExceedsMaxThenRejected() {
        assertThatThrownBy(() -> ServerConfig.builder().defaultTtl("10d").maxTtl("7d").build())
                .hasMessageContaining("exceeds --max-ttl");
    }

    @Test
    void toStringWhenUrlHasQueryThenItIsRedacted() {
        ServerConfig c = ServerConfig.builder().dbUrl("jdbc:postgresql://db/keygate?password=hunter2")
                .dbPassword("s3cret").build();
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("s3cret");
        assertThat(c.redactedDbUrl()).isEqualTo("jdbc:postgresql://db/keygate?…");
    }

    // ---- audit key ----------------------------------------------------------------------------------------

    private static final String KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void buildWhenAuditKeyIsBase64Of32BytesThenKeptAndNeverShown() {
        ServerConfig c = ServerConfig.builder().auditKey(" " + KEY + "\n").build();

        assertThat(c.auditKey()).hasSize(32);
        assertThat(c.auditPreviousKey()).isNull();
        assertThat(c.toString()).doesNotContain(KEY);
    }

    @Test
    void buildWhenAuditKeyUnsetThenNone() {
        assertThat(ServerConfig.builder().auditKey("  ").build().auditKey()).isNull();
    }

    @Test
    void buildWhenAuditKeysInvalidThenEachProblemNamesItsVariableButNotTheValue() {
        String notBase64 = "not base64 at all!";
        String tooShort = java.util.Base64.getEncoder().encodeToString(new byte[31]);

        assertThatThrownBy(() -> ServerConfig.builder().auditKey(notBase64).auditPreviousKey(tooShort).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "KEYGATE_AUDIT_KEY: is not base64 (generate a key with 'openssl rand -base64 32')",
                        "KEYGATE_AUDIT_PREVIOUS_KEY: holds 31 bytes; a key needs at least 32 (generate one with "
                                + "'openssl rand -base64 32')"));
    }

    @Test
    void buildWhenOnlyThePreviousAuditKeyIsSetThenRejected() {
        assertThatThrownBy(() -> ServerConfig.builder().auditPreviousKey(KEY).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "KEYGATE_AUDIT_PREVIOUS_KEY is set but KEYGATE_AUDIT_KEY is not: set the new key too"));
    }

    // ---- audit retention ----------------------------------------------------------------------------------

    @Test
    void buildWhenAuditRetentionUnsetThen30Days() {
        assertThat(ServerConfig.builder().build().auditRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void buildWhenAuditRetentionIsZeroThenVerifyEventsAreKeptForEver() {
        assertThat(ServerConfig.builder().auditRetention("0").build().auditRetention()).isZero();
        assertThat(ServerConfig.builder().auditRetention("90d").build().auditRetention())
                .isEqualTo(Duration.ofDays(90));
    }

    @Test
    void buildWhenAuditRetentionInvalidThenProblemNamesFlagVariableAndValue() {
        assertThatThrownBy(() -> ServerConfig.builder().auditRetention("1 month").build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "--audit-retention (KEYGATE_AUDIT_RETENTION): '1 month' must be a positive whole number "
                                + "followed by s, m, h or d (e.g. 30m, 24h, 7d), or 0 to keep verify events for ever"));
    }
}
