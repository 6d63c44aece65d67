package dev.keygate.cli;

import dev.keygate.cli.output.Text;
import dev.keygate.client.FieldError;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClientException;
import picocli.CommandLine;

import java.io.PrintStream;
import java.net.ConnectException;

/**
 * Turns what a command threw into a message on stderr and an exit code, in one place: a refusal by the server
 * ({@code keygate: <status> <title>: <detail>} and each field error), an unreachable server, a
 * {@link CliException}, or a bug. Set {@code KEYGATE_DEBUG=1} for stack traces.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    private final CliContext ctx;

    ErrorHandler(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintStream err = ctx.err();
        if (ex instanceof KeygateApiException api) {
            String detail = api.detail() == null || api.detail().isBlank() ? "" : ": " + api.detail();
            err.println("keygate: " + Text.safe(api.status() + " " + api.title() + detail));
            for (FieldError e : api.errors()) {
                err.println("  " + Text.safe(e.field()) + ": " + Text.safe(e.message()));
            }
            if (api.status() == 401) {
                err.println("keygate: KEYGATE_TOKEN must hold a live admin token (not expired, not revoked)");
            }
            return ExitCodes.ERROR;
        }
        if (ex instanceof KeygateClientException client) {
            err.println("keygate: " + Text.safe(client.getMessage()));
            if (hasCause(client, ConnectException.class)) {
                err.println("keygate: is the server running? Set KEYGATE_URL or --url to where it listens");
            }
            debug(ex);
            return ExitCodes.ERROR;
        }
        if (ex instanceof CliException cli) {
            err.println("keygate: " + cli.getMessage());
            return cli.exitCode();
        }
        err.println("keygate: unexpected error: " + Text.safe(String.valueOf(ex)));
        debug(ex);
        return ExitCodes.ERROR;
    }

    private void debug(Exception ex) {
        if (ctx.env("KEYGATE_DEBUG") != null) {
            ex.printStackTrace(ctx.err());
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
