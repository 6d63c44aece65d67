package dev.keygate.server.http;

import dev.keygate.server.role.RoleService;
import io.javalin.http.HandlerType;

import java.util.List;

/** {@code /v1/roles}. */
final class RoleRoutes {

    private RoleRoutes() {
    }

    static List<Route> routes(RoleService roles, Bodies bodies) {
        return List.of(
                Route.admin(HandlerType.POST, "/v1/roles", (ctx, caller) -> {
                    Views.RoleCreate body = bodies.read(ctx, Views.RoleCreate.class, false);
                    bodies.write(ctx, 201, Views.RoleView.of(
                            roles.create(caller, body.request())));
                }),
                Route.admin(HandlerType.GET, "/v1/roles", (ctx, caller) ->
                        bodies.write(ctx, 200, new Views.Items<>(
                                roles.list(caller).stream().map(Views.RoleView::of).toList()))),
                Route.admin(HandlerType.GET, "/v1/roles/{name}", (ctx, caller) ->
                        bodies.write(ctx, 200, Views.RoleView.of(roles.get(caller, ctx.pathParam("name"))))),
                Route.admin(HandlerType.PUT, "/v1/roles/{name}", (ctx, caller) -> {
                    Views.RoleUpdate body = bodies.read(ctx, Views.RoleUpdate.class, false);
                    bodies.write(ctx, 200, Views.RoleView.of(
                            roles.update(caller, ctx.pathParam("name"), body.request())));
                }),
                Route.admin(HandlerType.DELETE, "/v1/roles/{name}", (ctx, caller) -> {
                    roles.delete(caller, ctx.pathParam("name"));
                    ctx.status(204);
                }));
    }
}
