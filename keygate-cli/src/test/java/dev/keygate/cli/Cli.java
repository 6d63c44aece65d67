package dev.keygate.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code keygate} in-process, as {@link Main} would, with a made-up environment and stdin and captured
 * stdout and stderr.
 */
final class Cli {

    static final String ADMIN = "kg_live_0123456789abcdefghijABCDEFGHIJ012345";

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
    }

    private final Map<String, String> env = new HashMap<>();
    private String stdin = "";

    /** No environment at all. */
    static Cli bare() {
        return new Cli();
    }

    /** KEYGATE_URL pointing at {@code server} and an admin KEYGATE_TOKEN. */
    static Cli against(FakeKeygate server) {
        return new Cli().env("KEYGATE_URL", server.baseUri().toString()).env("KEYGATE_TOKEN", ADMIN);
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cli withoutEnv(String name) {
        env.remove(name);
        return this;
    }

    Cli stdin(String text) {
        this.stdin = text;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = Main.run(ctx, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
