package dev.keygate.server.http;

import dev.keygate.server.hygiene.HygieneService;
import io.javalin.http.HandlerType;

import java.util.List;
import java.util.Set;

/** {@code GET /v1/reports/hygiene}. */
final class ReportRoutes {

    private ReportRoutes() {
    }

    static List<Route> routes(HygieneService hygiene, Bodies bodies) {
        return List.of(Route.admin(HandlerType.GET, "/v1/reports/hygiene", (ctx, caller) -> {
            QueryParams.only(ctx, Set.of("days"));
            bodies.write(ctx, 200, HygieneViews.ReportView.of(hygiene.report(caller, ctx.queryParam("days"))));
        }));
    }
}
