package dev.keygate.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;

/** The entry point of {@code keygate} (the shaded jar's main class). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(CliContext.system(), args));
    }

    /** Runs one command line against {@code ctx} and returns the exit code (see {@link ExitCodes}). */
    public static int run(CliContext ctx, String... args) {
        return commandLine(ctx).execute(args);
    }

    /** The configured command tree, its output and error handling bound to {@code ctx}. */
    public static CommandLine commandLine(CliContext ctx) {
        CommandLine cli = new CommandLine(new KeygateCommand(ctx), new ContextFactory(ctx));
        cli.setOut(new PrintWriter(ctx.out(), true));
        cli.setErr(new PrintWriter(ctx.err(), true));
        cli.setExecutionExceptionHandler(new ErrorHandler(ctx));
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        // 'keygate audit --action verify' filters on the action; it must not run 'audit verify'.
        cli.setAllowSubcommandsAsOptionParameters(true);
        return cli;
    }

    /** Creates commands with the context when they take one (every Keygate command does), else as picocli would. */
    private record ContextFactory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            Constructor<K> withContext;
            try {
                withContext = type.getDeclaredConstructor(CliContext.class);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
            withContext.setAccessible(true);
            return withContext.newInstance(ctx);
        }
    }
}
