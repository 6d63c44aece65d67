package dev.keygate.server.metrics;

import dev.keygate.core.verify.VerifyCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the verify path records: a counter per answer code and a latency histogram. Every meter is looked up once,
 * here, so that recording a verification is two lock-free increments and allocates nothing.
 */
public final class VerifyMetrics {

    /**
     * The histogram's bucket bounds: a cached verification takes microseconds, one that reads the store or spends
     * a use takes a millisecond or more.
     */
    private static final Duration[] BUCKETS = {
            Duration.ofNanos(10_000), Duration.ofNanos(25_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000),
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000)};

    private final Counter[] byCode;
    private final Timer latency;

    VerifyMetrics(MeterRegistry registry) {
        VerifyCode[] codes = VerifyCode.values();
        byCode = new Counter[codes.length];
        for (VerifyCode code : codes) {
            byCode[code.ordinal()] = Counter.builder("keygate.verifications")
                    .description("Verifications answered, by code")
                    .tag("code", code.name())
                    .tag("decision", code.decision())
                    .register(registry);
        }
        latency = Timer.builder("keygate.verify.duration")
                .description("Time to answer a verification, in process (without HTTP)")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** Counts one verification answered with {@code code} after {@code nanos}. */
    public void record(VerifyCode code, long nanos) {
        byCode[code.ordinal()].increment();
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Verifications counted with {@code code}, for tests and diagnostics. */
    public double count(VerifyCode code) {
        return byCode[code.ordinal()].count();
    }
}
