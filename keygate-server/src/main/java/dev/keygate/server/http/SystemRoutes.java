package dev.keygate.server.http;

import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.metrics.Metrics;
import dev.keygate.server.store.Database;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Health, readiness, metrics and the OpenAPI document. */
final class SystemRoutes {

    static final String OPENAPI_RESOURCE = "/openapi.json";

    private SystemRoutes() {
    }

    static List<Route> routes(Database db, Bodies bodies, Metrics metrics) {
        byte[] openapi = openApiDocument();
        byte[] healthy = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
        return List.of(
                Route.open(HandlerType.GET, "/healthz", (ctx, none) ->
                        Bodies.send(ctx, 200, Bodies.JSON, healthy)),
                Route.open(HandlerType.GET, "/readyz", (ctx, none) -> {
                    boolean ready = db.isReachable();
                    bodies.write(ctx, ready ? 200 : 503, Map.of("status", ready ? "ready" : "store unreachable"));
                }),
                Route.open(HandlerType.GET, "/openapi.json", (ctx, none) ->
                        Bodies.send(ctx, 200, Bodies.JSON, openapi)),
                // Behind a token: the counts tell how many tokens exist and how they are used.
                Route.admin(HandlerType.GET, "/metrics", (ctx, caller) -> {
                    caller.require(AdminPermissions.METRICS_READ);
                    Bodies.send(ctx, 200, Metrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
                }));
    }

    /** The OpenAPI document shipped in the server jar. */
    static byte[] openApiDocument() {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
