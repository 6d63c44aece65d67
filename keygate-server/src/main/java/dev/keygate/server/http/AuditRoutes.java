package dev.keygate.server.http;

import dev.keygate.core.error.FieldErrors;
import dev.keygate.server.audit.AuditPage;
import dev.keygate.server.audit.AuditQuery;
import dev.keygate.server.audit.AuditService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/** {@code GET /v1/audit}: a page of events with an opaque cursor for the next; {@code GET /v1/audit/verify}. */
final class AuditRoutes {

    private static final String CURSOR_PREFIX = "a1:";

    private AuditRoutes() {
    }

    static List<Route> routes(AuditService audit, Bodies bodies) {
        return List.of(
                Route.admin(HandlerType.GET, "/v1/audit", (ctx, caller) -> {
                    AuditQuery query = query(ctx);
                    AuditPage page = audit.query(caller, query);
                    String next = page.hasMore() ? cursor(page.events().getLast().id()) : null;
                    bodies.write(ctx, 200, new Views.AuditPage(
                            page.events().stream().map(Views.AuditEventView::of).toList(), next));
                }),
                // 200 whether intact or not: the verification ran, and its answer says what it found.
                Route.admin(HandlerType.GET, "/v1/audit/verify", (ctx, caller) ->
                        bodies.write(ctx, 200, Views.AuditVerificationView.of(audit.verify(caller)))));
    }

    private static AuditQuery query(Context ctx) {
        FieldErrors errors = new FieldErrors();
        Instant since = null;
        String sinceText = ctx.queryParam("since");
        if (sinceText != null) {
            try {
                since = OffsetDateTime.parse(sinceText).toInstant();
            } catch (DateTimeParseException e) {
                errors.add("since", "must be an RFC 3339 time such as 2030-01-31T12:00:00Z");
            }
        }
        int n = errors.wholeNumber("limit", ctx.queryParam("limit"), 1, AuditQuery.MAX_LIMIT,
                AuditQuery.DEFAULT_LIMIT);
        Long before = null;
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) {
            before = parseCursor(cursor);
            if (before == null) {
                errors.add("cursor", "is not a cursor returned by this API");
            }
        }
        errors.throwIfAny();
        return new AuditQuery(ctx.queryParam("token_id"), ctx.queryParam("principal"), ctx.queryParam("action"),
                null, since, null, AuditQuery.Order.NEWEST, before, n);
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
}
