package dev.keygate.cli;

import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.testing.TestServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code keygate} in-process, as {@link Main} would, with a made-up environment and stdin and captured
 * stdout and stderr.
 */
final class Cli {

    /** A well-formed admin token that no server knows, for runs that must fail before any request. */
    /** A well-formed token no server knows, for commands that must not get as far as a server. */
    static final String ADMIN = TokenFormat.mint("live", new SecureRandom());

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
    }

    private final Map<String, String> env = new HashMap<>();
    private String stdin = "";

    /** No environment at all. */
    static Cli bare() {
        return new Cli();
    }

    /** KEYGATE_URL pointing at the real {@code server} and KEYGATE_TOKEN holding its bootstrap admin token. */
    static Cli against(TestServer server) {
        return as(server, server.adminToken());
    }

    /** KEYGATE_URL pointing at the real {@code server} and KEYGATE_TOKEN holding {@code token}. */
    static Cli as(TestServer server, String token) {
        return new Cli().env("KEYGATE_URL", server.baseUri().toString()).env("KEYGATE_TOKEN", token);
    }

    /**
     * KEYGATE_URL pointing at a port where nothing listens, and an admin KEYGATE_TOKEN: for runs that must stop
     * before sending anything. Had they sent a request, they would report that Keygate cannot be reached.
     */
    static Cli offline() {
        return new Cli().env("KEYGATE_URL", unusedAddress().toString()).env("KEYGATE_TOKEN", ADMIN);
    }

    /** The address of a loopback port that was free a moment ago, so that connecting to it is refused. */
    static URI unusedAddress() {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + free.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
