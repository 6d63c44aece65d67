package dev.keygate.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keygate.core.error.FieldErrors;
import dev.keygate.server.alert.Alert;
import dev.keygate.server.alert.AlertPage;
import dev.keygate.server.alert.AlertQuery;
import dev.keygate.server.alert.AlertService;
import dev.keygate.server.alert.Delivery;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** {@code GET /v1/alerts}: newest first, each with its deliveries, with an opaque cursor for the next page. */
final class AlertRoutes {

    private static final String CURSOR_PREFIX = "l1:";
    /** The rules an alert may come from: the filter takes only these. */
    static final List<String> RULES = List.of(Alert.FAILED_VERIFICATIONS_IP, Alert.FAILED_VERIFICATIONS_TOKEN,
            Alert.NEW_NETWORK, Alert.DEAD_TOKEN_USE, Alert.USAGE_SPIKE, Alert.TOKEN_LEAKED);
    private static final int MAX_TOKEN_ID = 64;

    private AlertRoutes() {
    }

    static List<Route> routes(AlertService alerts, Bodies bodies) {
        return List.of(Route.admin(HandlerType.GET, "/v1/alerts", (ctx, caller) -> {
            AlertQuery query = query(ctx);
            AlertPage page = alerts.query(caller, query);
            String next = page.hasMore() ? cursor(page.alerts().getLast().alert().id()) : null;
            bodies.write(ctx, 200, new Page(page.alerts().stream().map(AlertView::of).toList(), next));
        }));
    }

    private static AlertQuery query(Context ctx) {
        FieldErrors errors = new FieldErrors();
        String rule = ctx.queryParam("rule");
        if (rule != null && !RULES.contains(rule)) {
            errors.add("rule", "must be one of " + String.join(", ", RULES));
        }
        String tokenId = ctx.queryParam("token_id");
        if (tokenId != null && (tokenId.isEmpty() || tokenId.length() > MAX_TOKEN_ID)) {
            errors.add("token_id", "must be a token id (tok_...)");
        } else if (tokenId != null && tokenId.startsWith("kg_")) {
            errors.add("token_id", "is a token secret, not a token id: give the tok_... id");
        }
        Instant since = errors.time("since", ctx.queryParam("since"));
        int n = errors.wholeNumber("limit", ctx.queryParam("limit"), 1, AlertQuery.MAX_LIMIT,
                AlertQuery.DEFAULT_LIMIT);
        Long before = null;
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) {
            before = parseCursor(cursor);
            if (before == null) {
                errors.add("cursor", "is not a cursor returned by this API");
            }
        }
        errors.throwIfAny();
        return new AlertQuery(rule, tokenId, since, before, n);
    }

    private static String cursor(long id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + id).getBytes(StandardCharsets.UTF_8));
    }

    private static Long parseCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(CURSOR_PREFIX)) {
                return null;
            }
            long id = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
            return id > 0 ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    record Page(List<AlertView> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    /** An alert and its delivery to each webhook (an empty list when none was configured as it was raised). */
    record AlertView(long id, Instant time, String rule, String tokenId, String principal, String ip, String detail,
                     List<DeliveryView> deliveries) {
        static AlertView of(AlertPage.Entry e) {
            Alert a = e.alert();
            return new AlertView(a.id(), a.time(), a.rule(), a.tokenId(), a.principal(), a.ip(), a.detail(),
                    e.deliveries().stream().map(DeliveryView::of).toList());
        }
    }

    record DeliveryView(String webhook, String state, int attempts, Instant nextAttemptAt, Instant lastAttemptAt,
                        Integer lastStatus, String lastError, Instant deliveredAt) {
        static DeliveryView of(Delivery d) {
            return new DeliveryView(d.webhook(), d.state().text(), d.attempts(), d.nextAttemptAt(), d.lastAttemptAt(),
                    d.lastStatus(), d.lastError(), d.deliveredAt());
        }
    }
}
