package dev.keygate.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * One route of the API. Admin routes receive the authenticated {@link dev.keygate.server.auth.Caller}; the
 * services check the permission, so that it is enforced whatever calls them.
 *
 * @param admin whether the route needs a bearer token
 */
public record Route(HandlerType method, String path, boolean admin, RouteHandler handler) {

    /** Handles a request; {@code caller} is {@code null} on public routes. */
    @FunctionalInterface
    public interface RouteHandler {
        void handle(Context ctx, dev.keygate.server.auth.Caller caller) throws Exception;
    }

    static Route admin(HandlerType method, String path, RouteHandler handler) {
        return new Route(method, path, true, handler);
    }

    static Route open(HandlerType method, String path, RouteHandler handler) {
        return new Route(method, path, false, handler);
    }
}
