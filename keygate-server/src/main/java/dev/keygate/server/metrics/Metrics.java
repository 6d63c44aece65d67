package dev.keygate.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The server's meters, exposed in Prometheus' text format by {@code GET /metrics}. Names follow Micrometer's
 * conventions and come out in Prometheus' ({@code keygate.verifications} is {@code keygate_verifications_total}).
 */
public final class Metrics implements AutoCloseable {

    /** The content type of {@link #scrape()}: Prometheus' text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** How long a count of live tokens is served before the store is asked again. */
    private static final Duration LIVE_TOKENS_REFRESH = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(Metrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final VerifyMetrics verify;
    private final HttpMetrics http;
    private final Clock clock;
    private MultiGauge liveTokens;
    private Supplier<Map<String, Long>> liveTokenCounts;
    /** When the store was last asked, or {@code null} before the first scrape. */
    private Long liveTokensReadAt;

    public Metrics(Clock clock) {
        this.clock = clock;
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        verify = new VerifyMetrics(registry);
        http = new HttpMetrics(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public VerifyMetrics verify() {
        return verify;
    }

    public HttpMetrics http() {
        return http;
    }

    /** A gauge read from {@code source} at each scrape. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    /** A counter whose total {@code source} keeps (it only grows), read at each scrape. */
    public <T> void counter(String name, String description, T source, ToDoubleFunction<T> total) {
        FunctionCounter.builder(name, source, total).description(description).register(registry);
    }

    /**
     * Live tokens by environment, counted by {@code counts} (which reads the store) at a scrape, at most once per
     * {@link #LIVE_TOKENS_REFRESH}: a scraper polling often costs the store nothing more.
     */
    public synchronized void liveTokens(Supplier<Map<String, Long>> counts) {
        liveTokenCounts = counts;
        liveTokens = MultiGauge.builder("keygate.tokens.live")
                .description("Tokens neither expired, revoked nor rotated out, by environment")
                .register(registry);
    }

    /** The meters in Prometheus' text format. */
    public String scrape() {
        refreshLiveTokens();
        return registry.scrape();
    }

    private synchronized void refreshLiveTokens() {
        long now = clock.millis();
        if (liveTokens == null
                || liveTokensReadAt != null && now - liveTokensReadAt < LIVE_TOKENS_REFRESH.toMillis()) {
            return;
        }
        try {
            Map<String, Long> counts = liveTokenCounts.get();
            liveTokens.register(counts.entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("environment", e.getKey()), e.getValue()))
                    .toList(), true);
            liveTokensReadAt = now;
        } catch (RuntimeException e) {
            // The last counts stay; a scrape must not fail because the store is briefly unreachable.
            log.warn("could not count live tokens for /metrics: {}", e.toString());
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
