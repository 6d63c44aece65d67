package dev.keygate.server.http;

import dev.keygate.server.policy.ExplainService;
import io.javalin.http.HandlerType;

import java.util.List;

/** {@code POST /v1/explain}. */
final class PolicyRoutes {

    private PolicyRoutes() {
    }

    static List<Route> routes(ExplainService explainer, Bodies bodies) {
        return List.of(
                Route.admin(HandlerType.POST, "/v1/explain", (ctx, caller) -> {
                    Views.ExplainRequest body = bodies.read(ctx, Views.ExplainRequest.class, false);
                    bodies.write(ctx, 200, Views.ExplainView.of(explainer.explain(caller, body.request())));
                }));
    }
}
