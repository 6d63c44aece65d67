package dev.keygate.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.token.TokenView;
import dev.keygate.core.token.Ttl;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.verify.RateLimiter;
import dev.keygate.server.verify.VerifyService;
import io.javalin.http.HandlerType;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** {@code POST /v1/verify}: the hot path. The token is the credential; no other authentication. */
final class VerifyRoutes {

    private VerifyRoutes() {
    }

    static List<Route> routes(VerifyService verifier, Bodies bodies, ObjectMapper mapper) {
        // Answers that describe no token are the same every time: serialize them once.
        Map<VerifyCode, byte[]> constant = new EnumMap<>(VerifyCode.class);
        for (VerifyCode code : VerifyCode.values()) {
            if (!code.disclosesToken()) {
                constant.put(code, bytes(mapper, describing(code, null, null)));
            }
        }
        // Answers that describe a token depend only on the code and the cached (immutable) view: serialize each
        // once per view. Weak keys: an entry goes when the token view cache lets go of its view.
        Cache<TokenView, AtomicReferenceArray<byte[]>> perView = Caffeine.newBuilder().weakKeys().build();
        int codes = VerifyCode.values().length;
        return List.of(Route.open(HandlerType.POST, "/v1/verify", (ctx, none) -> {
            Views.VerifyRequest req = bodies.read(ctx, Views.VerifyRequest.class, false);
            VerifyService.Outcome outcome = verifier.verify(new VerifyService.Request(req.token(), req.permission(),
                    req.environment(), req.cost(), req.context() == null ? null : req.context().ip(),
                    req.context() == null ? null : req.context().resource()),
                    ctx.ip(), ctx.userAgent());
            byte[] answer = constant.get(outcome.code());
            if (answer == null) {
                AtomicReferenceArray<byte[]> answers = perView.get(outcome.view(),
                        v -> new AtomicReferenceArray<>(codes));
                int slot = outcome.code().ordinal();
                answer = answers.get(slot);
                if (answer == null) {
                    answer = bytes(mapper, describing(outcome.code(), outcome.view(), null));
                    answers.set(slot, answer);
                }
            }
            Bodies.send(ctx, 200, Bodies.JSON, outcome.metered() ? withLimits(answer, outcome) : answer);
        }));
    }

    /**
     * {@code answer} with the usage count and rate-limit state of {@code outcome} appended: they change with every
     * call, so the rest of the answer is reused and only these fields are written, by hand. They are the last
     * fields of {@link Views.VerifyView} and hold only numbers and a duration's text, so the result is exactly
     * what Jackson would write for the whole answer (a test holds it to that).
     */
    static byte[] withLimits(byte[] answer, VerifyService.Outcome outcome) {
        StringBuilder tail = new StringBuilder(96);
        if (outcome.remaining() != null) {
            tail.append(",\"remaining\":").append(outcome.remaining());
        }
        RateLimiter.Decision rate = outcome.rate();
        if (rate != null) {
            tail.append(",\"rate_limit\":{\"limit\":").append(outcome.limit().limit())
                    .append(",\"window\":\"").append(Ttl.format(outcome.limit().window()))
                    .append("\",\"remaining\":").append(rate.remaining()).append('}');
            if (!rate.allowed()) {
                tail.append(",\"retry_after\":").append(rate.retryAfterSeconds());
            }
        }
        byte[] added = tail.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] whole = Arrays.copyOf(answer, answer.length + added.length);
        System.arraycopy(added, 0, whole, answer.length - 1, added.length);
        whole[whole.length - 1] = '}';
        return whole;
    }

    /** The whole answer: {@code outcome} may be {@code null} to leave out the usage count and rate state. */
    static Views.VerifyView describing(VerifyCode code, TokenView v, VerifyService.Outcome outcome) {
        RateLimiter.Decision rate = outcome == null ? null : outcome.rate();
        return new Views.VerifyView(code.valid(), code.allowed(), code.name(),
                v == null ? null : v.id(), v == null ? null : v.principal(), v == null ? null : v.roles(),
                v == null ? null : v.permissions().permissions().stream().map(Permission::toString).toList(),
                v == null ? null : v.environment(), v == null ? null : v.expiresAt(),
                v == null ? null : v.token().rotation().endsAt(), outcome == null ? null : outcome.remaining(),
                rate == null ? null : new Views.RateLimitState(outcome.limit().limit(),
                        Ttl.format(outcome.limit().window()), rate.remaining()),
                rate == null || rate.allowed() ? null : rate.retryAfterSeconds());
    }

    private static byte[] bytes(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
