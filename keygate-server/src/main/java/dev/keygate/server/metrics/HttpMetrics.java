package dev.keygate.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * HTTP request timers, tagged with the method, the route's template (never the path as sent, which would let
 * callers create series without bound) and the status. Each route's meters are made once and found by index, so
 * a request allocates no tags.
 */
public final class HttpMetrics {

    private static final String NAME = "http.server.requests";
    private static final String UNMATCHED = "UNMATCHED";

    private final MeterRegistry registry;
    private final Route unmatched;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.unmatched = new Route(registry, "ANY", UNMATCHED);
    }

    /** The meters of one route, made when the route is registered. */
    public Route route(String method, String template) {
        return new Route(registry, method, template);
    }

    /** The meters of requests that matched no route. */
    public Route unmatched() {
        return unmatched;
    }

    /** One route's timers, one per status seen, made on first use. */
    public static final class Route {
        private final MeterRegistry registry;
        private final String method;
        private final String template;
        private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);

        private Route(MeterRegistry registry, String method, String template) {
            this.registry = registry;
            this.method = method;
            this.template = template;
        }

        /** Records one request that ended with {@code status} after {@code nanos}. */
        public void record(int status, long nanos) {
            int i = status >= 100 && status < 600 ? status : 0;
            Timer timer = byStatus.get(i);
            if (timer == null) {
                timer = Timer.builder(NAME)
                        .description("HTTP requests, by method, route and status")
                        .tag("method", method)
                        .tag("uri", template)
                        .tag("status", i == 0 ? "UNKNOWN" : Integer.toString(status))
                        .register(registry);
                byStatus.set(i, timer);
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
