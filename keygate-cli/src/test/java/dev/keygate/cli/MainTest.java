package dev.keygate.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void runWhenVersionThenPrintsTheVersionAndExits0() {
        Cli.Result r = Cli.bare().run("--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip()).isEqualTo("keygate 0.1.0-SNAPSHOT");
    }

    @Test
    void runWhenHelpThenListsEveryCommandAndTheExitCodes() {
        Cli.Result r = Cli.bare().run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("serve", "admin-token", "role", "principal", "token", "verify", "audit", "help")
                .contains("Exit codes:", "  2  usage error", "  3  verify");
    }

    @Test
    void runWhenSubcommandHelpThenShowsItsExitCodes() {
        Cli.Result r = Cli.bare().run("token", "create", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--principal", "--ttl", "--expires-at", "Exit codes:", "  1  the server refused");
    }

    @Test
    void runWhenVerifyHelpThenDocumentsExitCode3() {
        Cli.Result r = Cli.bare().run("help", "verify");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("  3  the token is not valid or not allowed", "KEYGATE_VERIFY_TOKEN");
    }

    @Test
    void runWhenNoCommandThenPrintsUsageToStderrAndExits2() {
        Cli.Result r = Cli.bare().run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Usage: keygate");
    }

    @Test
    void runWhenGroupWithoutSubcommandThenPrintsItsUsageAndExits2() {
        Cli.Result r = Cli.bare().run("token");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: keygate token", "create", "revoke");
    }

    @Test
    void runWhenUnknownCommandThenSuggestsAndExits2() {
        Cli.Result r = Cli.bare().run("rol", "list");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("keygate: Unmatched argument", "keygate role", "Try 'keygate --help'");
    }

    @Test
    void runWhenUnknownOptionThenExits2() {
        Cli.Result r = Cli.bare().run("role", "list", "--colour");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--colour'", "Try 'keygate role list --help'");
    }
}
