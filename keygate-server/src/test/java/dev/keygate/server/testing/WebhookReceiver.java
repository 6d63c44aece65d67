package dev.keygate.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP receiver of webhook deliveries on a random loopback port: it records each request and answers the
 * statuses it was told to, in order, then its default (204).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String method, URI uri, Map<String, List<String>> headers, byte[] body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The {@code t} of {@code Keygate-Signature}. */
        public long signedAt() {
            return Long.parseLong(signaturePart("t"));
        }

        /**
         * Whether {@code Keygate-Signature} is the HMAC-SHA256 of {@code t + "." + body} keyed with {@code secret},
         * computed here independently of the server's code.
         */
        public boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                mac.update((signaturePart("t") + ".").getBytes(StandardCharsets.UTF_8));
                byte[] expected = mac.doFinal(body);
                return java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(signaturePart("v1")));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private String signaturePart(String key) {
            String header = header("Keygate-Signature");
            if (header == null || !header.matches("t=[0-9]+,v1=[0-9a-f]{64}")) {
                throw new AssertionError("Keygate-Signature is not t=<seconds>,v1=<64 hex digits>: " + header);
            }
            for (String part : header.split(",")) {
                if (part.startsWith(key + "=")) {
                    return part.substring(key.length() + 1);
                }
            }
            throw new AssertionError("no " + key + " in " + header);
        }
    }

    private final HttpServer http;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();
    private volatile int defaultStatus = 204;
    private volatile Duration delay = Duration.ZERO;

    private WebhookReceiver(HttpServer http) {
        this.http = http;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(http);
            http.createContext("/", receiver::handle);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>/hooks/keygate}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/hooks/keygate");
    }

    /** Answers these statuses to the next requests, one each, then the default. */
    public WebhookReceiver answer(int... statuses) {
        for (int s : statuses) {
            answers.add(s);
        }
        return this;
    }

    public WebhookReceiver answerByDefault(int status) {
        this.defaultStatus = status;
        return this;
    }

    /** Waits this long before answering (to make the sender time out). */
    public WebhookReceiver delay(Duration value) {
        this.delay = value;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Integer next = answers.poll();
            exchange.sendResponseHeaders(next != null ? next : defaultStatus, -1);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
