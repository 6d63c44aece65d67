package dev.keygate.bench;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionSet;
import dev.keygate.core.token.Rotation;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.core.token.TokenView;
import dev.keygate.core.verify.TokenPolicy;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.token.TokenViewCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The steps of a verify, one by one, with no server, store or audit: the checksum check
 * ({@link TokenFormat#isWellFormed}), the SHA-256 ({@link TokenFormat#hash}), the cache hit
 * ({@link TokenViewCache#get} with a precomputed hash) and the policy ({@link TokenPolicy#evaluate}) on a
 * prebuilt {@link TokenView} holding {@code bench.items:read} and {@code bench.*:list}; then the first three
 * steps together ({@code pipeline}). Set beside {@link VerifyBenchmark}, the difference is what the service
 * adds around them: the permission cache, the clock and the audit event and its queue.
 *
 * <p>Run from the repository root (any JDK 21+ {@code java}; {@code bench/README.md} has the figures and the
 * exact JDK):
 *
 * <pre>
 * ./build -q -DskipTests -pl keygate-bench -am package
 * java -jar keygate-bench/target/benchmarks.jar CoreVerifyBenchmark -t 1 -f 1 -wi 3 -w 2s -i 5 -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CoreVerifyBenchmark {

    private String token;
    private String hash;
    private TokenView view;
    private TokenViewCache cache;
    private Function<String, TokenView> noLoad;
    private Permission exact;
    private Permission wildcard;
    private Permission missing;
    private long now;

    @Setup(Level.Trial)
    public void setUp() {
        SecureRandom random = new SecureRandom();
        token = TokenFormat.mint("live", random);
        hash = TokenFormat.hash(token);
        Instant created = Instant.now();
        view = TokenView.of(new Token(TokenFormat.newTokenId(random), "bench-svc", List.of("bench-reader"), "live",
                        "bench", created, null, created.plus(Duration.ofHours(1)), null, null, null, null, null, Rotation.NONE, null, null),
                PermissionSet.of(List.of(Permission.parse("bench.items:read"), Permission.parse("bench.*:list"))));
        cache = new TokenViewCache(100_000, Duration.ofHours(1));
        cache.get(hash, h -> view);
        noLoad = h -> {
            throw new IllegalStateException("the benchmark expects a cache hit");
        };
        exact = Permission.parse("bench.items:read");
        wildcard = Permission.parse("bench.x.y:list");
        missing = Permission.parse("bench.items:write");
        now = created.toEpochMilli();
        if (pipeline() != VerifyCode.VALID || evaluateWildcard() != VerifyCode.VALID
                || evaluateForbidden() != VerifyCode.FORBIDDEN) {
            throw new IllegalStateException("the prebuilt view does not give the expected codes");
        }
    }

    @Benchmark
    public boolean isWellFormed() {
        return TokenFormat.isWellFormed(token);
    }

    @Benchmark
    public String hash() {
        return TokenFormat.hash(token);
    }

    /** The checksum and the hash on one ASCII copy: what the verify path calls. */
    @Benchmark
    public String hashIfWellFormed() {
        return TokenFormat.hashIfWellFormed(token);
    }

    @Benchmark
    public TokenView cacheHit() {
        return cache.get(hash, noLoad);
    }

    @Benchmark
    public VerifyCode evaluateExact() {
        return TokenPolicy.evaluate(view, exact, null, now);
    }

    @Benchmark
    public VerifyCode evaluateWildcard() {
        return TokenPolicy.evaluate(view, wildcard, null, now);
    }

    @Benchmark
    public VerifyCode evaluateForbidden() {
        return TokenPolicy.evaluate(view, missing, null, now);
    }

    /** What {@code VerifyService.verify} does for a cached token, minus the permission cache and the audit. */
    @Benchmark
    public VerifyCode pipeline() {
        String h = TokenFormat.hashIfWellFormed(token);
        TokenView v = h == null ? null : cache.get(h, noLoad);
        return TokenPolicy.evaluate(v, exact, null, System.currentTimeMillis());
    }
}
