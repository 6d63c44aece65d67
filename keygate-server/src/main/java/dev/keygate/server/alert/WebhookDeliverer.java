package dev.keygate.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivers alerts to the configured webhooks from the store, so that deliveries survive a restart and several
 * nodes can share the work: each round, one thread reads the pending deliveries that are due, claims each with one
 * conditional update (which also moves its next attempt past the attempt's longest duration, a lease: a node that
 * dies mid-attempt leaves it to be retried), and sends the claimed ones in parallel, one virtual thread each.
 *
 * <p>A delivery is a {@code POST} of the alert as JSON with {@code Keygate-Signature} (see {@link Signatures});
 * a 2xx answer delivers it. Anything else (another status, a redirect, which is not followed, a timeout, a refused
 * connection) fails the attempt: the next waits {@link AlertConfig#backoff(int)}, and after
 * {@link AlertConfig#maxAttempts()} the delivery is {@code failed}. The answer's body is never read. Deliveries to
 * webhooks not configured on this node are left to the nodes that have them.
 */
public final class WebhookDeliverer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
    private static final int BATCH = 32;
    private static final String USER_AGENT = "keygate-alerts/1";

    private final Database db;
    private final AlertStore store;
    private final AlertConfig config;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Map<String, AlertConfig.Webhook> webhooks = new LinkedHashMap<>();
    private final Duration lease;
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicBoolean signal = new AtomicBoolean();
    private HttpClient http;
    private ExecutorService senders;
    private volatile Thread thread;
    private volatile boolean closed;

    WebhookDeliverer(Database db, AlertStore store, AlertConfig config, Clock clock, ObjectMapper mapper) {
        this.db = db;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.mapper = mapper;
        config.webhooks().forEach(w -> webhooks.put(w.name(), w));
        // Connecting and answering may each take the timeout; the rest is margin for recording the outcome.
        this.lease = config.webhookTimeout().multipliedBy(2).plusSeconds(30);
    }

    /** Starts the delivery thread, unless no webhook is configured (then this does nothing, ever). */
    synchronized void start() {
        if (webhooks.isEmpty() || thread != null || closed) {
            return;
        }
        http = HttpClient.newBuilder()
                .connectTimeout(config.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("keygate-alert-send-", 0).factory());
        webhooks.values().forEach(w -> log.info("alert webhook '{}': {}", w.name(), w.displayUrl()));
        thread = Thread.ofPlatform().name("keygate-alert-deliverer").daemon(true).start(this::run);
    }

    /** Deliveries that ended delivered on this node since it started. */
    public long sent() {
        return sent.sum();
    }

    /** Deliveries that ended failed (every attempt failed) on this node since it started. */
    public long failed() {
        return failed.sum();
    }

    /** Asks for a round now rather than at the next poll: alerts were just raised. */
    void wake() {
        signal.set(true);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        while (!closed) {
            int claimed;
            try {
                claimed = round();
            } catch (RuntimeException e) {
                log.warn("alert delivery round failed; retrying after the poll interval", e);
                claimed = 0;
            }
            if (claimed == 0) {
                waitForWork();
            }
        }
    }

    /** Claims and sends the deliveries due now; returns how many were claimed. */
    private int round() {
        Instant now = clock.instant();
        List<AlertStore.Due> due = db.read(c -> store.due(c, now, webhooks.keySet(), BATCH));
        List<Future<?>> attempts = new ArrayList<>();
        for (AlertStore.Due d : due) {
            if (closed) {
                break;
            }
            if (db.autoCommit(c -> store.claim(c, d, now, now.plus(lease)))) {
                attempts.add(senders.submit(() -> attempt(d, d.attempts() + 1)));
            }
        }
        for (Future<?> f : attempts) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return attempts.size();
            } catch (java.util.concurrent.ExecutionException e) {
                log.error("alert delivery attempt failed unexpectedly", e.getCause());
            }
        }
        return attempts.size();
    }

    private void waitForWork() {
        long deadline = System.nanoTime() + config.pollInterval().toNanos();
        while (!closed && !signal.getAndSet(false)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** Makes attempt number {@code attempt} of a claimed delivery and records its outcome. */
    private void attempt(AlertStore.Due due, int attempt) {
        AlertConfig.Webhook webhook = webhooks.get(due.webhook());
        Integer status = null;
        String error;
        try {
            Alert alert = db.read(c -> store.alert(c, due.alertId()));
            byte[] body = mapper.writeValueAsBytes(alert);
            long t = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(webhook.url())
                    .timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .header(Signatures.HEADER, Signatures.header(webhook.secret(), t, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status >= 200 && status < 300) {
                Instant at = clock.instant();
                db.autoCommit(c -> {
                    store.finish(c, due.alertId(), due.webhook(), attempt, Delivery.State.DELIVERED, response.statusCode(),
                            null, at, null);
                    return null;
                });
                sent.increment();
                log.debug("alert {} delivered to webhook '{}' (HTTP {}, attempt {})", due.alertId(), webhook.name(),
                        status, attempt);
                return;
            }
            error = "HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted (the server was stopping)";
        } catch (JsonProcessingException e) {
            error = "the alert could not be written as JSON";
            log.error("alert {} could not be written as JSON", due.alertId(), e);
        } catch (IOException | UnresolvedAddressException e) {
            error = describe(e);
        }
        failed(due, attempt, status, error, webhook);
    }

    private void failed(AlertStore.Due due, int attempt, Integer status, String error, AlertConfig.Webhook webhook) {
        Instant at = clock.instant();
        boolean last = attempt >= config.maxAttempts();
        Duration wait = config.backoff(attempt);
        db.autoCommit(c -> {
            store.finish(c, due.alertId(), due.webhook(), attempt, last ? Delivery.State.FAILED : Delivery.State.PENDING,
                    status, error, at, last ? null : at.plus(wait));
            return null;
        });
        if (last) {
            failed.increment();
            log.warn("alert {} could not be delivered to webhook '{}': {} on each of {} attempts; giving up",
                    due.alertId(), webhook.name(), error, attempt);
        } else {
            log.info("alert {} to webhook '{}': attempt {} of {} failed ({}); retrying in {}", due.alertId(),
                    webhook.name(), attempt, config.maxAttempts(), error, AlertConfig.format(wait));
        }
    }

    /**
     * What went wrong, in words that hold no URL (its query may carry a credential) and nothing the receiver
     * chose beyond the status.
     */
    static String describe(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out waiting for the answer";
        }
        if (e instanceof ConnectException) {
            return e.getCause() instanceof UnresolvedAddressException ? "unknown host" : "connection refused";
        }
        if (e instanceof UnknownHostException || e instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (e instanceof SSLException) {
            return "TLS failure";
        }
        return "I/O error (" + e.getClass().getSimpleName() + ")";
    }

    /**
     * Stops the thread after the attempts in flight (each bounded by the timeout); pending deliveries stay in the
     * store for the next start, or for another node. Idempotent.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        if (t == null) {
            return;
        }
        LockSupport.unpark(t);
        try {
            t.join(lease.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdownNow();
        try {
            senders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
