package dev.keygate.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * One route of the API. Admin routes receive the authenticated {@link dev.keygate.server.auth.Caller}; the
 * services check the permission, so that it is enforced whatever calls them.
 *
 * @param access what the route asks of its callers
 */
public record Route(HandlerType method, String path, Access access, RouteHandler handler) {

    /** What a route asks of its callers, and so what its handler is given. */
    public enum Access {
        /** Nothing: the handler gets no caller. */
        OPEN,
        /** A bearer token, authenticated before the handler, which gets its caller. */
        BEARER,
        /**
         * A bearer token or a secret-scanning partner's signature of the body ({@code POST /v1/leaks}): the handler
         * gets no caller and authenticates the request itself, by exactly one of the two.
         */
        BEARER_OR_SIGNATURE
    }

    /** Handles a request; {@code caller} is {@code null} unless the route's access is {@link Access#BEARER}. */
    @FunctionalInterface
    public interface RouteHandler {
        void handle(Context ctx, dev.keygate.server.auth.Caller caller) throws Exception;
    }

    /** Whether the route needs a credential (and so may answer 401). */
    public boolean admin() {
        return access != Access.OPEN;
    }

    static Route admin(HandlerType method, String path, RouteHandler handler) {
        return new Route(method, path, Access.BEARER, handler);
    }

    static Route open(HandlerType method, String path, RouteHandler handler) {
        return new Route(method, path, Access.OPEN, handler);
    }

    /** A route whose handler authenticates by a bearer token or a signature itself (see {@link Access}). */
    static Route signedOrAdmin(HandlerType method, String path, RouteHandler handler) {
        return new Route(method, path, Access.BEARER_OR_SIGNATURE, handler);
    }
}
