package dev.keygate.server.http;

import dev.keygate.server.usage.UsageService;
import io.javalin.http.HandlerType;

import java.util.List;
import java.util.Set;

/** {@code GET /v1/tokens/{id}/usage}: a token's verifications, rolled up by hour or by day. */
final class UsageRoutes {

    private static final Set<String> USAGE_PARAMS = Set.of("granularity", "since", "until");

    private UsageRoutes() {
    }

    static List<Route> routes(UsageService usage, Bodies bodies) {
        return List.of(Route.admin(HandlerType.GET, "/v1/tokens/{id}/usage", (ctx, caller) -> {
            QueryParams.only(ctx, USAGE_PARAMS);
            bodies.write(ctx, 200, UsageViews.TokenUsageView.of(usage.usage(caller, ctx.pathParam("id"),
                    ctx.queryParam("granularity"), ctx.queryParam("since"), ctx.queryParam("until"))));
        }));
    }
}
