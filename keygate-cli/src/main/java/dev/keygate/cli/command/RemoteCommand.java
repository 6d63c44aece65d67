package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.CliException;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * A command that calls a running server: {@code --url} (else {@code KEYGATE_URL}, else the default) and
 * {@code --json}. Subclasses implement {@link #run(KeygateClient)}.
 */
public abstract class RemoteCommand implements Callable<Integer> {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    protected final CliContext ctx;

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "Keygate's address. Default: $KEYGATE_URL, else " + DEFAULT_URL + ".")
    private String url;

    @Option(names = "--json", description = "Print the server's JSON instead of a table.")
    private boolean json;

    protected RemoteCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public final Integer call() {
        KeygateClient.Builder builder = KeygateClient.builder().baseUri(baseUri()).timeout(timeout());
        String token = adminToken();
        if (token != null) {
            builder.token(token);
        }
        KeygateClient client;
        try {
            client = builder.build();
        } catch (IllegalArgumentException e) {
            // Only the token can be wrong here (the URL was checked); the message never holds its value.
            throw new CliException(ExitCodes.ERROR, "KEYGATE_TOKEN is not usable: " + e.getMessage());
        }
        try (client) {
            return run(client);
        }
    }

    /** Does the work; returns the exit code. Exceptions are reported by the CLI's error handler. */
    protected abstract int run(KeygateClient client);

    /** How long to wait for each answer: 30 seconds, unless a command's requests take longer by nature. */
    protected Duration timeout() {
        return TIMEOUT;
    }

    /** The admin token to send, or {@code null} for commands that need none. */
    protected String adminToken() {
        return null;
    }

    /** Whether a server was named: {@code --url} given or {@code KEYGATE_URL} set. */
    protected boolean urlGiven() {
        return url != null || ctx.env("KEYGATE_URL") != null;
    }

    /** Whether {@code --json} was given. */
    protected boolean json() {
        return json;
    }

    protected PrintStream out() {
        return ctx.out();
    }

    protected PrintStream err() {
        return ctx.err();
    }

    protected void printJson(Object value) {
        JsonOutput.print(out(), value);
    }

    /** Prints one API object: with {@code --json} as the server writes it, else through {@code view}. */
    protected <T> void print(T value, BiConsumer<PrintStream, T> view) {
        if (json) {
            printJson(value);
        } else {
            view.accept(out(), value);
        }
    }

    /** Prints a list: with {@code --json} as {@code {"items": [...]}}, as the API does, else through {@code view}. */
    protected <T> void printList(List<T> items, BiConsumer<PrintStream, List<T>> view) {
        if (json) {
            JsonOutput.printItems(out(), items);
        } else {
            view.accept(out(), items);
        }
    }

    /**
     * A token secret to check, from the environment variable {@code variable} when it is set, else from the first
     * line of stdin, trimmed; never from an argument (arguments show in {@code ps} and shell history).
     *
     * @param missing what to say when there is none: how to give it
     * @throws CliException (exit 1) with {@code missing} when neither holds a token
     */
    protected String secretFromEnvOrStdin(String variable, String missing) {
        String fromEnv = ctx.env(variable);
        if (fromEnv != null) {
            return fromEnv.strip();
        }
        String line;
        try {
            line = new BufferedReader(new InputStreamReader(ctx.stdin(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token from stdin", e);
        }
        if (line == null || line.isBlank()) {
            throw new CliException(ExitCodes.ERROR, missing);
        }
        return line.strip();
    }

    /** A usage error (exit 2) about this command's flags. */
    protected ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private URI baseUri() {
        String value = url != null ? url : ctx.env("KEYGATE_URL") != null ? ctx.env("KEYGATE_URL") : DEFAULT_URL;
        String problem = "--url (KEYGATE_URL): '" + value + "' is not an http(s) URL such as " + DEFAULT_URL;
        try {
            URI uri = new URI(value.strip());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw usageError(problem);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw usageError(problem);
        }
    }
}
