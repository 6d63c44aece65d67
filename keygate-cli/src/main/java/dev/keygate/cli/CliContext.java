package dev.keygate.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * What a command may read and write besides its arguments: the environment, stdin, stdout and stderr. Commands
 * take everything from here and never from {@link System}, so that tests can run them in-process with a made-up
 * environment and captured streams.
 *
 * @param env   the environment variables
 * @param stdin standard input
 * @param out   standard output: results only (tables, JSON, a new token's secret)
 * @param err   standard error: messages for people
 */
public record CliContext(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {

    public CliContext {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The process's own environment and standard streams. */
    public static CliContext system() {
        return new CliContext(System.getenv(), System.in, System.out, System.err);
    }

    /** The value of an environment variable, or {@code null} when it is unset or blank. */
    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** Never lists the environment: it may hold KEYGATE_TOKEN or a database password. */
    @Override
    public String toString() {
        return "CliContext[" + env.size() + " environment variables]";
    }
}
