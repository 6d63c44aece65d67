package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.policy.ExplainService;
import dev.keygate.server.policy.PolicyService;
import io.javalin.http.HandlerType;

import java.util.List;

/** {@code POST /v1/explain}; {@code GET /v1/policy}, {@code POST /v1/policy/plan}, {@code POST /v1/policy/apply}. */
final class PolicyRoutes {

    private PolicyRoutes() {
    }

    static List<Route> routes(ExplainService explainer, PolicyService policies, Bodies bodies) {
        return List.of(
                Route.admin(HandlerType.POST, "/v1/explain", (ctx, caller) -> {
                    Views.ExplainRequest body = bodies.read(ctx, Views.ExplainRequest.class, false);
                    bodies.write(ctx, 200, Views.ExplainView.of(explainer.explain(caller, body.request())));
                }),
                Route.admin(HandlerType.GET, "/v1/policy", (ctx, caller) ->
                        bodies.write(ctx, 200, Views.PolicyFileView.of(policies.export(caller)))),
                // The file is read as a tree: PolicyFile reports all its problems at once, unknown fields included.
                Route.admin(HandlerType.POST, "/v1/policy/plan", (ctx, caller) -> {
                    JsonNode file = bodies.read(ctx, JsonNode.class, false);
                    bodies.write(ctx, 200, Views.PolicyPlanView.of(policies.plan(caller, file), false));
                }),
                Route.admin(HandlerType.POST, "/v1/policy/apply", (ctx, caller) -> {
                    JsonNode file = bodies.read(ctx, JsonNode.class, false);
                    bodies.write(ctx, 200, Views.PolicyPlanView.of(policies.apply(caller, file), true));
                }));
    }
}
