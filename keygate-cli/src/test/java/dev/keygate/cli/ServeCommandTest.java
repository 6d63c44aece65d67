package dev.keygate.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration checks of {@code serve} and {@code admin-token}; starting a real server is the lead's e2e. */
class ServeCommandTest {

    @Test
    void serveWhenListenIsInvalidThenPrintsTheProblemAndExits2() {
        Cli.Result r = Cli.bare().run("serve", "--listen", "nonsense");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(
                "keygate serve: --listen (KEYGATE_LISTEN): 'nonsense' is not host:port (e.g. 127.0.0.1:8080)\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void serveWhenSeveralValuesAreInvalidThenPrintsEachProblemOnItsOwnLine() {
        Cli.Result r = Cli.bare().env("KEYGATE_CACHE_TTL", "1h")
                .run("serve", "--listen", "127.0.0.1:99999", "--max-ttl", "forever");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(3).allMatch(l -> l.startsWith("keygate serve: "));
        assertThat(r.err()).contains("--listen (KEYGATE_LISTEN): '127.0.0.1:99999'",
                "--max-ttl (KEYGATE_MAX_TTL): 'forever'", "--cache-ttl (KEYGATE_CACHE_TTL): '1h' must be at most 10m");
    }

    @Test
    void serveWhenBothFlagAndEnvironmentThenTheFlagWins() {
        Cli.Result r = Cli.bare().env("KEYGATE_LISTEN", "from-env").run("serve", "--listen", "from-flag");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'from-flag'").doesNotContain("from-env");
    }

    @Test
    void serveWhenOnlyTheEnvironmentIsSetThenUsesIt() {
        Cli.Result r = Cli.bare().env("KEYGATE_LISTEN", "from-env").env("KEYGATE_DB_URL", "jdbc:mysql://x/y?password=p")
                .run("serve");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'from-env'", "--db-url (KEYGATE_DB_URL): 'jdbc:mysql://x/y?…'")
                .doesNotContain("password=p");
    }

    @Test
    void serveWhenPermanentTokenSwitchOrRotationGraceIsInvalidThenNamesEachAndExits2() {
        Cli.Result r = Cli.bare().env("KEYGATE_ALLOW_PERMANENT_TOKENS", "yes")
                .run("serve", "--max-rotation-grace", "a week");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(2).allMatch(l -> l.startsWith("keygate serve: "));
        assertThat(r.err()).contains(
                "--allow-permanent-tokens (KEYGATE_ALLOW_PERMANENT_TOKENS): 'yes' must be true or false",
                "--max-rotation-grace (KEYGATE_MAX_ROTATION_GRACE): 'a week' must be a positive whole number");
    }

    @Test
    void serveWhenVerifyEventSwitchIsInvalidThenNamesItAndExits2() {
        Cli.Result r = Cli.bare().env("KEYGATE_AUDIT_VERIFY_EVENTS", "off").run("serve");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(
                "keygate serve: --audit-verify-events (KEYGATE_AUDIT_VERIFY_EVENTS): 'off' must be true or false\n");
    }

    @Test
    void serveWhenPermanentTokenSwitchGivenWithoutValueThenItMeansTrueAndWinsOverTheEnvironment() {
        // The invalid --listen stops the start; a bad KEYGATE_ALLOW_PERMANENT_TOKENS would be reported beside it.
        Cli.Result r = Cli.bare().env("KEYGATE_ALLOW_PERMANENT_TOKENS", "yes")
                .run("serve", "--allow-permanent-tokens", "--listen", "nonsense");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(
                "keygate serve: --listen (KEYGATE_LISTEN): 'nonsense' is not host:port (e.g. 127.0.0.1:8080)\n");
    }

    @Test
    void serveWhenAuditRetentionOrAuditKeyInvalidThenNamesEachWithoutTheKeyAndExits2() {
        String shortKey = "c2hvcnQga2V5";
        Cli.Result r = Cli.bare().env("KEYGATE_AUDIT_RETENTION", "forever").env("KEYGATE_AUDIT_KEY", shortKey)
                .run("serve");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(2).allMatch(l -> l.startsWith("keygate serve: "));
        assertThat(r.err()).contains("--audit-retention (KEYGATE_AUDIT_RETENTION): 'forever' must be a positive whole "
                        + "number", "KEYGATE_AUDIT_KEY: holds 9 bytes; a key needs at least 32")
                .doesNotContain(shortKey);
    }

    @Test
    void serveWhenAuditRetentionFlagAndEnvironmentThenTheFlagWins() {
        Cli.Result r = Cli.bare().env("KEYGATE_AUDIT_RETENTION", "90d").run("serve", "--audit-retention", "soon");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'soon'").doesNotContain("'90d'");
    }

    @Test
    void serveWhenAuditSinkIsNeitherStdoutNorAFileThenNamesItAndExits2() {
        Cli.Result r = Cli.bare().env("KEYGATE_AUDIT_SINK", "stdout").run("serve", "--audit-sink", "syslog");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("keygate serve: --audit-sink (KEYGATE_AUDIT_SINK): 'syslog' must be stdout or "
                + "file:PATH (e.g. file:/var/log/keygate/audit.jsonl)\n");
    }

    @Test
    void serveWhenAuditKeyGivenAsAFlagThenExits2() {
        assertThat(Cli.bare().run("serve", "--audit-key", "c2hvcnQga2V5").err()).contains("Unknown option");
    }

    @Test
    void serveWhenDatabasePasswordGivenAsAFlagThenExits2() {
        Cli.Result r = Cli.bare().run("serve", "--db-password", "hunter2");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option");
    }

    @Test
    void adminTokenWhenStoreUrlIsUnsupportedThenPrintsTheProblemAndExits2() {
        Cli.Result r = Cli.bare().run("admin-token", "--db-url", "jdbc:mysql://db/keygate");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("keygate admin-token: --db-url (KEYGATE_DB_URL): 'jdbc:mysql://db/keygate'");
        assertThat(r.out()).isEmpty();
    }
}
