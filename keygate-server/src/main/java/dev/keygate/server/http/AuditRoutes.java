package dev.keygate.server.http;

import dev.keygate.core.error.FieldErrors;
import dev.keygate.server.audit.AuditPage;
import dev.keygate.server.audit.AuditQuery;
import dev.keygate.server.audit.AuditService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /v1/audit}: a page of events, newest or oldest first, with an opaque cursor for the next; and
 * {@code GET /v1/audit/verify}.
 */
final class AuditRoutes {

    private static final String NEWEST_PREFIX = "a1:";
    private static final String OLDEST_PREFIX = "o1:";

    private AuditRoutes() {
    }

    static List<Route> routes(AuditService audit, Bodies bodies) {
        return List.of(
                Route.admin(HandlerType.GET, "/v1/audit", (ctx, caller) -> {
                    AuditQuery query = query(ctx);
                    AuditPage page = audit.query(caller, query);
                    String next = page.hasMore() ? cursor(page.events().getLast().id(), query.order()) : null;
                    bodies.write(ctx, 200, new Views.AuditPage(
                            page.events().stream().map(Views.AuditEventView::of).toList(), next));
                }),
                // 200 whether intact or not: the verification ran, and its answer says what it found.
                Route.admin(HandlerType.GET, "/v1/audit/verify", (ctx, caller) ->
                        bodies.write(ctx, 200, Views.AuditVerificationView.of(audit.verify(caller)))));
    }

    private static AuditQuery query(Context ctx) {
        FieldErrors errors = new FieldErrors();
        Instant since = errors.time("since", ctx.queryParam("since"));
        Instant until = errors.time("until", ctx.queryParam("until"));
        if (since != null && until != null && !until.isAfter(since)) {
            errors.add("until", "must be after since (until is exclusive)");
        }
        String decision = ctx.queryParam("decision");
        if (decision != null && !decision.equals("allow") && !decision.equals("deny")) {
            errors.add("decision", "must be allow or deny");
        }
        AuditQuery.Order order = AuditQuery.Order.NEWEST;
        String orderText = ctx.queryParam("order");
        if (orderText != null) {
            order = orderText.equals("oldest") ? AuditQuery.Order.OLDEST
                    : orderText.equals("newest") ? AuditQuery.Order.NEWEST : null;
            if (order == null) {
                errors.add("order", "must be newest or oldest");
            }
        }
        int n = errors.wholeNumber("limit", ctx.queryParam("limit"), 1, AuditQuery.MAX_LIMIT,
                AuditQuery.DEFAULT_LIMIT);
        Long after = null;
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && order != null) {
            after = parseCursor(cursor, order);
            if (after == null) {
                errors.add("cursor", parseCursor(cursor, other(order)) != null
                        ? "belongs to a page in the other order; keep the order of the first page"
                        : "is not a cursor returned by this API");
            }
        }
        errors.throwIfAny();
        return new AuditQuery(ctx.queryParam("token_id"), ctx.queryParam("principal"), ctx.queryParam("action"),
                decision, since, until, order, after, n);
    }

    private static AuditQuery.Order other(AuditQuery.Order order) {
        return order == AuditQuery.Order.NEWEST ? AuditQuery.Order.OLDEST : AuditQuery.Order.NEWEST;
    }

    /** The cursor after {@code id}: it names the order too, so that a page cannot continue in the other one. */
    private static String cursor(long id, AuditQuery.Order order) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((prefix(order) + id).getBytes(StandardCharsets.UTF_8));
    }

    private static String prefix(AuditQuery.Order order) {
        return order == AuditQuery.Order.NEWEST ? NEWEST_PREFIX : OLDEST_PREFIX;
    }

    private static Long parseCursor(String cursor, AuditQuery.Order order) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(prefix(order))) {
                return null;
            }
            long id = Long.parseLong(text.substring(prefix(order).length()));
            return id > 0 ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
