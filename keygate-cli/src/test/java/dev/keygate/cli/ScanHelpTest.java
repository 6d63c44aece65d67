package dev.keygate.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate scan}'s place in the help: its options and exit code 4. */
class ScanHelpTest {

    @Test
    void helpWhenScanThenDocumentsItsOptionsAndExitCode4() {
        Cli.Result r = Cli.bare().run("scan", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--git", "--revoke", "--offline", "--max-file-size=SIZE", "Default: 10m",
                "  4  tokens were found", "  0  no token found", "KEYGATE_TOKEN");
    }

    @Test
    void helpWhenRootThenListsScanAndExitCode4() {
        Cli.Result r = Cli.bare().run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("  scan ", "  4  scan: tokens were found");
    }
}
