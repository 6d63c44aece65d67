package dev.keygate.cli;

import dev.keygate.cli.command.AdminTokenCommand;
import dev.keygate.cli.command.AlertsCommand;
import dev.keygate.cli.command.AuditCommand;
import dev.keygate.cli.command.ExplainCommand;
import dev.keygate.cli.command.PolicyCommand;
import dev.keygate.cli.command.PrincipalCommand;
import dev.keygate.cli.command.ReportCommand;
import dev.keygate.cli.command.RoleCommand;
import dev.keygate.cli.command.ScanCommand;
import dev.keygate.cli.command.ServeCommand;
import dev.keygate.cli.command.TokenCommand;
import dev.keygate.cli.command.VerifyCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code keygate}: with no command, prints its usage and exits 2. */
@Command(
        name = "keygate",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "API tokens and RBAC: least-privilege, expiring, revocable, audited tokens.",
        subcommands = {
            HelpCommand.class,
            ServeCommand.class,
            AdminTokenCommand.class,
            RoleCommand.class,
            PrincipalCommand.class,
            TokenCommand.class,
            VerifyCommand.class,
            ExplainCommand.class,
            AuditCommand.class,
            AlertsCommand.class,
            ReportCommand.class,
            PolicyCommand.class,
            ScanCommand.class,
        },
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            "  3  verify, explain: the token is not valid or not allowed",
            "  4  scan: tokens were found; audit verify: the audit log is not intact",
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN,
            "%nDocumentation: docs/cli.md"})
final class KeygateCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    KeygateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.err());
        return ExitCodes.USAGE;
    }
}
