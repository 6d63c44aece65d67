package dev.keygate.bench;

import dev.keygate.core.policy.Condition;
import dev.keygate.core.policy.Conditions;
import dev.keygate.core.policy.RequestAttributes;
import dev.keygate.core.policy.SubjectAttributes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Grant conditions ({@link Conditions}, CEL): {@code compile*} compiles a condition from source (parse, type
 * check, literal checks, planning; each call gets a source never seen, by a trailing comment, so that the cache
 * never answers), {@code compileCached} is a cache hit, and {@code test*} evaluates a compiled condition as the
 * verify path will: a {@link RequestAttributes} built for the call, a {@link SubjectAttributes} built once
 * (per cached token view). The conditions: {@code request.ip.startsWith('10.')}, working hours
 * {@code request.time.getHours() >= 8 && request.time.getHours() < 18}, working hours in
 * {@code Europe/Berlin}, {@code resource.owner == principal.name}, the metadata check
 * {@code 'team' in token.metadata && token.metadata.team == 'billing'} and {@code request.ip.inCidr('10.0.0.0/8')}.
 * Every {@code test*} is checked to be true once before it is measured.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * ./build -q -DskipTests -pl keygate-bench -am package
 * java -jar keygate-bench/target/benchmarks.jar ConditionBenchmark -t 1 -f 1 -wi 3 -w 2s -i 5 -r 3s
 * </pre>
 *
 * Add {@code -prof gc} for the allocation per evaluation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConditionBenchmark {

    private static final String STARTS_WITH = "request.ip.startsWith('10.')";
    private static final String WORKING_HOURS = "request.time.getHours() >= 8 && request.time.getHours() < 18";
    private static final String WORKING_HOURS_BERLIN = "request.time.getHours('Europe/Berlin') >= 8"
            + " && request.time.getHours('Europe/Berlin') < 18";
    private static final String OWNER = "resource.owner == principal.name";
    private static final String METADATA = "'team' in token.metadata && token.metadata.team == 'billing'";
    private static final String CIDR = "request.ip.inCidr('10.0.0.0/8')";

    private Condition startsWith;
    private Condition workingHours;
    private Condition workingHoursBerlin;
    private Condition owner;
    private Condition metadata;
    private Condition cidr;
    private SubjectAttributes subject;
    private Instant now;
    private Map<String, Object> resource;
    private long sources;

    @Setup(Level.Trial)
    public void setUp() {
        startsWith = Conditions.compile(STARTS_WITH);
        workingHours = Conditions.compile(WORKING_HOURS);
        workingHoursBerlin = Conditions.compile(WORKING_HOURS_BERLIN);
        owner = Conditions.compile(OWNER);
        metadata = Conditions.compile(METADATA);
        cidr = Conditions.compile(CIDR);
        subject = SubjectAttributes.of("tok_bench", Map.of("team", "billing", "region", "eu-west-1"), "live",
                Instant.parse("2026-01-01T00:00:00Z"), "bench-svc", "service", Map.of("owner", "platform"));
        now = Instant.parse("2026-01-14T12:30:00Z");
        resource = Map.of("owner", "bench-svc", "id", 42);
        if (!(testStartsWith() && testWorkingHours() && testWorkingHoursBerlin() && testOwner() && testMetadata()
                && testCidr())) {
            throw new IllegalStateException("every condition should be true for the benchmark's attributes");
        }
    }

    private RequestAttributes request() {
        return new RequestAttributes("10.1.2.3", now, "live", resource);
    }

    @Benchmark
    public Condition compileStartsWith() {
        return Conditions.compile(STARTS_WITH + " // " + sources++);
    }

    @Benchmark
    public Condition compileWorkingHours() {
        return Conditions.compile(WORKING_HOURS + " // " + sources++);
    }

    @Benchmark
    public Condition compileCached() {
        return Conditions.compile(WORKING_HOURS);
    }

    @Benchmark
    public boolean testStartsWith() {
        return startsWith.test(request(), subject);
    }

    @Benchmark
    public boolean testWorkingHours() {
        return workingHours.test(request(), subject);
    }

    @Benchmark
    public boolean testWorkingHoursBerlin() {
        return workingHoursBerlin.test(request(), subject);
    }

    @Benchmark
    public boolean testOwner() {
        return owner.test(request(), subject);
    }

    @Benchmark
    public boolean testMetadata() {
        return metadata.test(request(), subject);
    }

    @Benchmark
    public boolean testCidr() {
        return cidr.test(request(), subject);
    }
}
