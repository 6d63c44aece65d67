package dev.keygate.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.keygate.core.error.ConflictException;
import dev.keygate.core.error.ForbiddenException;
import dev.keygate.core.error.KeygateException;
import dev.keygate.core.error.RateLimitedException;
import dev.keygate.core.error.NotFoundException;
import dev.keygate.core.error.UnauthenticatedException;
import dev.keygate.core.error.ValidationException;
import dev.keygate.server.store.StoreException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one place where failures become RFC 9457 problem responses. Domain errors carry safe messages; anything
 * unexpected is logged with an id and answered with only that id, never with internals.
 */
final class Problems {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    /**
     * Anything shaped like a token secret. A secret pasted where an id, a name or a permission belongs is quoted
     * by the message that rejects it; it must not be sent back, where proxies and clients log error bodies.
     */
    private static final Pattern SECRET = Pattern.compile("kg_[a-z0-9]{1,16}_[0-9A-Za-z]{16,}");

    private final ObjectMapper mapper;

    Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** An RFC 9457 problem document with Keygate's {@code code} and field-level {@code errors}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(String type, String title, int status, String detail, String code,
                   List<ValidationException.FieldError> errors) {
    }

    void handle(Exception e, Context ctx) {
        Problem p = toProblem(e, ctx);
        if (p.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"keygate\"");
        }
        if (e instanceof RateLimitedException r) {
            ctx.header("Retry-After", Long.toString(r.retryAfterSeconds()));
        }
        try {
            ctx.status(p.status()).contentType(PROBLEM_JSON).result(mapper.writeValueAsBytes(p));
        } catch (JsonProcessingException impossible) {
            ctx.status(500).result("");
        }
    }

    private Problem toProblem(Exception e, Context ctx) {
        return switch (e) {
            case KeygateException k -> domain(k);
            case HttpProblem h -> problem(h.status(), h.code(), h.title(), h.getMessage(), null);
            case UnrecognizedPropertyException u -> field(path(u), "is not a known field");
            case MismatchedInputException m when m.getPath().isEmpty() ->
                    problem(400, "malformed_json", "Malformed request body", "the body must be a JSON object", null);
            case MismatchedInputException m -> field(path(m), "has the wrong type or form");
            case JsonMappingException m when !m.getPath().isEmpty() -> field(path(m), "is invalid");
            case JsonProcessingException j ->
                    problem(400, "malformed_json", "Malformed request body", "the body is not valid JSON", null);
            case HttpResponseException h -> javalin(h);
            case StoreException s -> internal(s, ctx, 503, "the store is unavailable");
            default -> internal(e, ctx, 500, "internal error");
        };
    }

    private static Problem domain(KeygateException e) {
        return switch (e) {
            case ValidationException v -> problem(400, v.code(), "Invalid request", v.getMessage(), v.errors());
            case UnauthenticatedException u -> problem(401, u.code(), "Unauthenticated", u.getMessage(), null);
            case ForbiddenException f -> problem(403, f.code(), "Forbidden", f.getMessage(), null);
            case NotFoundException n -> problem(404, n.code(), "Not found", n.getMessage(), null);
            case ConflictException c -> problem(409, c.code(), "Conflict", c.getMessage(), null);
            case RateLimitedException r -> problem(429, r.code(), "Too many requests", r.getMessage(), null);
        };
    }

    private static Problem javalin(HttpResponseException e) {
        int status = e.getStatus();
        return switch (status) {
            case 404 -> problem(404, "not_found", "Not found", "no such route", null);
            case 405 -> problem(405, "method_not_allowed", "Method not allowed", "the route does not take this method",
                    null);
            case 413 -> problem(413, "payload_too_large", "Payload too large", "the body exceeds 64 KiB", null);
            default -> problem(status, "http_" + status, "HTTP " + status, "the request could not be handled", null);
        };
    }

    private static Problem internal(Exception e, Context ctx, int status, String what) {
        String id = UUID.randomUUID().toString();
        // The method and path (names and ids; a secret pasted into it is blanked); never the query or headers.
        log.error("{} [error id {}] on {} {}", what, id, ctx.method(), redact(ctx.path()), e);
        return problem(status, status == 503 ? "unavailable" : "internal",
                status == 503 ? "Service unavailable" : "Internal error", what + " (error id " + id + ")", null);
    }

    private static Problem field(String field, String message) {
        ValidationException.FieldError error = new ValidationException.FieldError(field, message);
        return problem(400, "validation_failed", "Invalid request", field + ": " + message, List.of(error));
    }

    private static Problem problem(int status, String code, String title, String detail,
                                   List<ValidationException.FieldError> errors) {
        List<ValidationException.FieldError> redacted = errors == null ? null : errors.stream()
                .map(e -> new ValidationException.FieldError(redact(e.field()), redact(e.message())))
                .toList();
        return new Problem("urn:keygate:problem:" + code, title, status, redact(detail), code, redacted);
    }

    private static String redact(String text) {
        return text == null ? null : SECRET.matcher(text).replaceAll("kg_***");
    }

    /** The JSON path of a mapping failure, as {@code roles[2]} or {@code metadata.team}. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }
}
