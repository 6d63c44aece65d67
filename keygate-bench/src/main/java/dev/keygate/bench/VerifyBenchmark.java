package dev.keygate.bench;

import dev.keygate.core.token.TokenFormat;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.verify.VerifyService;
import dev.keygate.server.verify.VerifyService.Outcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * In-process {@link VerifyService#verify} of a cached token, as the HTTP route calls it but without HTTP: the
 * checksum, the SHA-256, the cache read, the policy and the audit enqueue. The target is at least 1,000,000
 * verifies/s on one thread (see {@code bench/README.md}).
 *
 * <p>The set-up starts a real {@link KeygateServer} on port 0 with a fresh SQLite store in a temporary
 * directory, and creates over HTTP, with the bootstrap admin token, the role {@code bench-reader}
 * ({@code bench.items:read}, {@code bench.*:list}), the principal {@code bench-svc} and one-hour tokens: a plain
 * one, one with {@code allowed_cidrs} and a {@code rate_limit} ({@code verifyBound}), and one with
 * {@code max_uses} ({@code verifyCounted}, which writes to the store on every call); and two tokens whose
 * roles allow {@code bench.items:read} under one CEL condition each: {@code request.ip.startsWith('10.')}
 * ({@code verifyIpCondition}, asked from 10.1.2.3) and a {@code request.time.getHours()} range
 * ({@code verifyTimeCondition}). One
 * verify warms the cache, and each benchmark's outcome is checked once before it is measured, so that a
 * benchmark cannot silently measure an error path.
 *
 * <p>Every call queues an audit event. At these rates the single audit writer cannot keep up and the queue
 * overflows: overflowing events are dropped and counted, by design, so the figures include the cost of a
 * full-queue {@code offer}. The tear-down prints how many were written and dropped.
 *
 * <p>Run from the repository root (any JDK 21+ {@code java}; {@code bench/README.md} has the figures and the
 * exact JDK):
 *
 * <pre>
 * ./build -q -DskipTests -pl keygate-bench -am package
 * java -jar keygate-bench/target/benchmarks.jar dev.keygate.bench.VerifyBenchmark -t 1 -f 1 -wi 3 -w 2s -i 5 -r 3s
 * </pre>
 *
 * The full class name keeps {@link CoreVerifyBenchmark} out of the run (the argument is a regular
 * expression). Add {@code -prof gc} for the allocation per verify.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// SQLite's driver loads a native library; the server's INFO lines would interleave with JMH's output.
@Fork(jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-DKEYGATE_LOG_LEVEL=WARN"})
public class VerifyBenchmark {

    private static final String CLIENT_IP = "127.0.0.1";
    private static final String USER_AGENT = "keygate-bench";
    private static final String BOUND_IP = "10.1.2.3";

    private BenchServer bench;
    private KeygateServer server;
    private VerifyService verifier;
    private String token;
    /** The bench token with its last checksum character changed: rejected before any lookup. */
    private String badChecksum;
    /** A token bound to 127.0.0.0/8 and 10.0.0.0/8 with a rate limit it never reaches in a run. */
    private String boundToken;
    /** A token with a {@code max_uses} it never spends in a run: each verification updates the store. */
    private String countedToken;
    /** A token whose role allows bench.items:read only if {@code request.ip.startsWith('10.')}. */
    private String ipConditionToken;
    /** A token whose role allows bench.items:read only between 00:00 and 23:59 UTC (by {@code getHours()}). */
    private String timeConditionToken;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        bench = BenchServer.start("keygate-jmh");
        server = bench.server();
        verifier = server.verifier();
        bench.post("/v1/roles", """
                {"name": "bench-reader", "description": "keygate-bench", "permissions": ["bench.items:read", "bench.*:list"]}""");
        bench.post("/v1/principals", """
                {"name": "bench-svc", "kind": "service", "description": "keygate-bench"}""");
        token = bench.post("/v1/tokens", """
                {"principal": "bench-svc", "roles": ["bench-reader"], "name": "bench", "ttl": "1h"}""")
                .path("token").asText();
        badChecksum = withBadChecksum(token);
        boundToken = bench.post("/v1/tokens", """
                {"principal": "bench-svc", "roles": ["bench-reader"], "name": "bench-bound", "ttl": "1h",
                 "allowed_cidrs": ["10.0.0.0/8", "127.0.0.0/8"],
                 "rate_limit": {"limit": 1000000, "window": "1s"}}""").path("token").asText();
        countedToken = bench.post("/v1/tokens", """
                {"principal": "bench-svc", "roles": ["bench-reader"], "name": "bench-counted", "ttl": "1h",
                 "max_uses": 1000000000000}""").path("token").asText();

        bench.post("/v1/roles", """
                {"name": "bench-ip", "description": "keygate-bench", "grants": [
                  {"permission": "bench.items:read", "effect": "allow", "condition": "request.ip.startsWith('10.')"}]}""");
        bench.post("/v1/roles", """
                {"name": "bench-hours", "description": "keygate-bench", "grants": [
                  {"permission": "bench.items:read", "effect": "allow",
                   "condition": "request.time.getHours() >= 0 && request.time.getHours() < 24"}]}""");
        ipConditionToken = bench.post("/v1/tokens", """
                {"principal": "bench-svc", "roles": ["bench-ip"], "name": "bench-ip", "ttl": "1h"}""")
                .path("token").asText();
        timeConditionToken = bench.post("/v1/tokens", """
                {"principal": "bench-svc", "roles": ["bench-hours"], "name": "bench-hours", "ttl": "1h"}""")
                .path("token").asText();

        // Warm the cache, then check that each benchmark measures the path it is named after.
        expect(verifyAllowed(), VerifyCode.VALID, "verifyAllowed");
        expect(verifyWildcard(), VerifyCode.VALID, "verifyWildcard");
        expect(verifyForbidden(), VerifyCode.FORBIDDEN, "verifyForbidden");
        expect(verifyNoPermission(), VerifyCode.VALID, "verifyNoPermission");
        expect(verifyMalformed(), VerifyCode.NOT_FOUND, "verifyMalformed");
        expect(verifyBound(), VerifyCode.VALID, "verifyBound");
        expect(verifyCounted(), VerifyCode.VALID, "verifyCounted");
        expect(verifyIpCondition(), VerifyCode.VALID, "verifyIpCondition");
        expect(verifyTimeCondition(), VerifyCode.VALID, "verifyTimeCondition");
        if (verifier.verify(new VerifyService.Request(ipConditionToken, "bench.items:read", null, null, "192.0.2.1"),
                CLIENT_IP, USER_AGENT).code() != VerifyCode.FORBIDDEN) {
            throw new IllegalStateException("the IP condition does not refuse an address outside 10.");
        }
        if (TokenFormat.isWellFormed(badChecksum)) {
            throw new IllegalStateException("the malformed token passes the checksum");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long writtenBefore = server.auditWriter().written();
        long dropped = server.auditWriter().dropped();
        int queued = server.auditWriter().depth();
        bench.close(); // drains the queue into the store
        System.out.printf("%naudit: %,d verify events written during the run, %,d dropped (queue full), %,d still"
                        + " queued at the end (written on close); %,d written in all%n",
                writtenBefore, dropped, queued, server.auditWriter().written());
    }

    /** A live token with the exact permission asked: {@code VALID}. */
    @Benchmark
    public Outcome verifyAllowed() {
        return verify(token, "bench.items:read");
    }

    /** Granted through the wildcard grant {@code bench.*:list}: {@code VALID}. */
    @Benchmark
    public Outcome verifyWildcard() {
        return verify(token, "bench.x.y:list");
    }

    /** A permission the token lacks: {@code FORBIDDEN}. */
    @Benchmark
    public Outcome verifyForbidden() {
        return verify(token, "bench.items:write");
    }

    /** No permission asked, only liveness: {@code VALID}. */
    @Benchmark
    public Outcome verifyNoPermission() {
        return verify(token, null);
    }

    /** A wrong checksum: {@code NOT_FOUND} with no hash and no lookup. */
    @Benchmark
    public Outcome verifyMalformed() {
        return verify(badChecksum, "bench.items:read");
    }

    private static void expect(Outcome outcome, VerifyCode code, String benchmark) {
        if (outcome.code() != code) {
            throw new IllegalStateException(benchmark + ": expected " + code + ", got " + outcome.code());
        }
    }

    private static String withBadChecksum(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    /** A token with allowed_cidrs and a rate limit, asked from an address inside them: {@code VALID}. */
    @Benchmark
    public Outcome verifyBound() {
        return verifier.verify(new VerifyService.Request(boundToken, "bench.items:read", null, null, BOUND_IP),
                CLIENT_IP, USER_AGENT);
    }

    /** A token with max_uses: {@code VALID}, spending one use with an atomic update of the store. */
    @Benchmark
    public Outcome verifyCounted() {
        return verify(countedToken, "bench.items:read");
    }

    /** A grant with one condition, {@code request.ip.startsWith('10.')}, asked from 10.1.2.3: {@code VALID}. */
    @Benchmark
    public Outcome verifyIpCondition() {
        return verifier.verify(new VerifyService.Request(ipConditionToken, "bench.items:read", null, null, BOUND_IP),
                CLIENT_IP, USER_AGENT);
    }

    /** A grant with one working-hours-style condition on {@code request.time.getHours()}: {@code VALID}. */
    @Benchmark
    public Outcome verifyTimeCondition() {
        return verify(timeConditionToken, "bench.items:read");
    }

    private Outcome verify(String secret, String permission) {
        return verifier.verify(new VerifyService.Request(secret, permission, null, null, null), CLIENT_IP, USER_AGENT);
    }
}
