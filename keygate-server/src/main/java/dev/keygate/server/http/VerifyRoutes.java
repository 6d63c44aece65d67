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
                constant.put(code, bytes(mapper, new Views.VerifyView(code.valid(), code.allowed(), code.name(),
                        null, null, null, null, null, null, null, null, null, null)));
            }
        }
        // Answers that describe a token depend only on the code and the cached (immutable) view: serialize each
        // once per view. Weak keys: an entry goes when the token view cache lets go of its view.
        Cache<TokenView, AtomicReferenceArray<byte[]>> perView = Caffeine.newBuilder().weakKeys().build();
        int codes = VerifyCode.values().length;
        return List.of(Route.open(HandlerType.POST, "/v1/verify", (ctx, none) -> {
            Views.VerifyRequest req = bodies.read(ctx, Views.VerifyRequest.class, false);
            VerifyService.Outcome outcome = verifier.verify(new VerifyService.Request(req.token(), req.permission(),
                    req.environment(), req.cost(), req.context() == null ? null : req.context().ip()),
                    ctx.ip(), ctx.userAgent());
            if (outcome.metered()) {
                // Counts and rate state change with every call: nothing to reuse.
                bodies.write(ctx, 200, describing(outcome));
                return;
            }
            byte[] fixed = constant.get(outcome.code());
            if (fixed != null) {
                Bodies.send(ctx, 200, Bodies.JSON, fixed);
                return;
            }
            AtomicReferenceArray<byte[]> answers = perView.get(outcome.view(), v -> new AtomicReferenceArray<>(codes));
            int slot = outcome.code().ordinal();
            byte[] answer = answers.get(slot);
            if (answer == null) {
                answer = bytes(mapper, describing(outcome));
                answers.set(slot, answer);
            }
            Bodies.send(ctx, 200, Bodies.JSON, answer);
        }));
    }

    private static Views.VerifyView describing(VerifyService.Outcome outcome) {
        VerifyCode code = outcome.code();
        TokenView v = outcome.view();
        RateLimiter.Decision rate = outcome.rate();
        return new Views.VerifyView(code.valid(), code.allowed(), code.name(),
                v == null ? null : v.id(), v == null ? null : v.principal(), v == null ? null : v.roles(),
                v == null ? null : v.permissions().permissions().stream().map(Permission::toString).toList(),
                v == null ? null : v.environment(), v == null ? null : v.expiresAt(),
                v == null ? null : v.token().rotation().endsAt(), outcome.remaining(),
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
