package dev.keygate.bench;

import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.audit.AuditWriter;
import dev.keygate.server.verify.VerifyService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How many verify events per second the audit writer records: each invocation makes {@value #EVENTS}
 * verifications (every one queues an event: the audit row, the usage roll-ups, the alert rules, the token's last
 * use) and waits until the writer has written them all. The verifications take about a microsecond each, so the
 * time is the writer's: its rate is what it costs to record a verification, the cost that issue 5's load check
 * (bench/audit-overhead.sh) sees over HTTP as CPU taken from the verifications.
 *
 * <p>A real {@link KeygateServer} on a fresh SQLite store, as {@link VerifyBenchmark} sets up; the verifications
 * cycle through {@value #TOKENS} tokens, so that the writer updates several tokens' last use and roll-ups per batch,
 * as it would serving several services; {@link #traffic} says how alike they are. Run from the repository root:
 *
 * <pre>
 * ./build -q clean package -DskipTests
 * java -jar keygate-bench/target/benchmarks.jar AuditWriterBenchmark -f 1 -wi 3 -w 5s -i 5 -r 5s
 * </pre>
 *
 * The tear-down fails the run if an event was dropped (the queue holds {@value #EVENTS} with room to spare, so a
 * drop means the figure measured something else).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-DKEYGATE_LOG_LEVEL=WARN"})
public class AuditWriterBenchmark {

    private static final int EVENTS = 16_384;
    private static final int TOKENS = 8;
    private static final String[] ADDRESSES = {"10.1.2.3", "10.1.2.4", "192.0.2.7", "2001:db8::1"};

    private BenchServer bench;
    private VerifyService verifier;
    private AuditWriter writer;
    private final String[] tokens = new String[TOKENS];
    /** Context addresses for {@code traffic=distinct}: one per verification of an invocation. */
    private final String[] distinctAddresses = new String[EVENTS];

    /**
     * {@code repeating}: {@value #TOKENS} tokens, two permissions and four addresses, so that verifications alike
     * but for their time reach the writer together and are recorded as one event each ({@code Repeats}), as a busy
     * service's are. {@code distinct}: every verification of an invocation from its own address, so that none is
     * like another: the writer's worst case, a row per verification.
     */
    @Param({"repeating", "distinct"})
    public String traffic;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        bench = BenchServer.start("keygate-jmh-audit");
        verifier = bench.server().verifier();
        writer = bench.server().auditWriter();
        for (int i = 0; i < EVENTS; i++) {
            distinctAddresses[i] = "10." + (i >>> 16) + "." + ((i >>> 8) & 255) + "." + (i & 255);
        }
        bench.post("/v1/roles", """
                {"name": "bench-reader", "permissions": ["bench.items:read", "bench.items:list"]}""");
        bench.post("/v1/principals", """
                {"name": "bench-svc", "kind": "service"}""");
        for (int i = 0; i < TOKENS; i++) {
            tokens[i] = bench.post("/v1/tokens", """
                    {"principal": "bench-svc", "roles": ["bench-reader"], "ttl": "1h"}""").path("token").asText();
            if (verify(i).code() != VerifyCode.VALID) {
                throw new IllegalStateException("bench token " + i + " does not verify");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long dropped = writer.dropped();
        long written = writer.written();
        long cpu = writerCpuNanos();
        bench.close();
        System.out.printf("%naudit: %,d verify events written, %,d dropped; the writer's thread used %.2f us of CPU"
                + " per event (user and system)%n", written, dropped, cpu / 1000.0 / written);
        if (dropped > 0) {
            throw new IllegalStateException(dropped + " verify events were dropped: the figure is not the writer's");
        }
    }

    /** {@value #EVENTS} verifications, then a wait until the writer has written every event they queued. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long recordVerifications() {
        long target = writer.written() + EVENTS;
        for (int i = 0; i < EVENTS; i++) {
            verify(i);
        }
        while (writer.written() < target) {
            if (writer.dropped() > 0) {
                throw new IllegalStateException("verify events dropped");
            }
            LockSupport.parkNanos(100_000);
        }
        return writer.written();
    }

    /** CPU time of the audit writer's thread so far: what recording costs a machine besides the verifications. */
    private static long writerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("keygate-audit-writer")) {
                return threads.getThreadCpuTime(t.threadId());
            }
        }
        throw new IllegalStateException("no audit writer thread");
    }

    private VerifyService.Outcome verify(int i) {
        return verifier.verify(new VerifyService.Request(tokens[i % TOKENS],
                        (i & 16) == 0 ? "bench.items:read" : "bench.items:list", null, null,
                        traffic.equals("distinct") ? distinctAddresses[i % EVENTS]
                                : ADDRESSES[(i >>> 3) % ADDRESSES.length]),
                "127.0.0.1", "keygate-bench");
    }
}
