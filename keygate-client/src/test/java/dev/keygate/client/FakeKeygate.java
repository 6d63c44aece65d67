package dev.keygate.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A stand-in for the remote Keygate API on port 0: answers canned responses per {@code METHOD path} and records
 * every request. Unknown routes get a 404 problem, as the real server does.
 */
final class FakeKeygate implements AutoCloseable {

    /** One request as the server saw it; the path and query are raw (still percent-encoded). */
    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String body) {
        /** The first value of a header, its name matched ignoring case; {@code null} if absent. */
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    record Response(int status, String contentType, String body) {
    }

    /** A route that never answers until the server is closed, to make the client time out. */
    static final Response HANG = new Response(-1, null, null);

    private final HttpServer server;
    private final Map<String, Response> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private FakeKeygate(HttpServer server) {
        this.server = server;
    }

    static FakeKeygate start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeKeygate fake = new FakeKeygate(server);
        server.createContext("/", fake::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return fake;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers {@code method path} (raw path, no query) with a JSON body. */
    FakeKeygate on(String method, String rawPath, int status, String json) {
        return on(method, rawPath, new Response(status, json == null ? null : "application/json", json));
    }

    FakeKeygate on(String method, String rawPath, Response response) {
        routes.put(method + " " + rawPath, response);
        return this;
    }

    FakeKeygate problem(String method, String rawPath, int status, String problemJson) {
        return on(method, rawPath, new Response(status, "application/problem+json", problemJson));
    }

    List<Request> requests() {
        return requests;
    }

    Request lastRequest() {
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        URI uri = exchange.getRequestURI();
        requests.add(new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Response r = routes.getOrDefault(exchange.getRequestMethod() + " " + uri.getRawPath(),
                new Response(404, "application/problem+json",
                        "{\"type\":\"urn:keygate:problem:not_found\",\"title\":\"Not found\",\"status\":404,"
                                + "\"detail\":\"no route\",\"code\":\"not_found\"}"));
        if (r == HANG) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (r.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", r.contentType());
        }
        byte[] bytes = r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(r.status(), r.status() == 204 || bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
