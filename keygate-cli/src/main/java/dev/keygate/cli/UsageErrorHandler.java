package dev.keygate.cli;

import dev.keygate.cli.output.Text;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Bad flags or values: prints the problem, any "did you mean" suggestions and where to find help, and exits 2
 * (or the command's own {@code exitCodeOnInvalidInput}).
 * The message goes through {@link Text#redactSecrets}: someone who pasted a token as an argument should not see
 * it echoed back (and it is never used).
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = ex.getMessage().startsWith("Error: ") ? ex.getMessage().substring(7) : ex.getMessage();
        err.println("keygate: " + Text.safe(Text.redactSecrets(message)));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        // 2 unless the command says otherwise: 'policy plan' keeps 2 for "changes", as terraform plan does.
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
}
