package dev.keygate.core.error;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeygateExceptionTest {

    @Test
    void codeWhenEachSubtypeThenStableCodeFromApiDocs() {
        assertThat(new ValidationException("f", "m").code()).isEqualTo("validation_failed");
        assertThat(new NotFoundException("role", "x").code()).isEqualTo("not_found");
        assertThat(new ConflictException("m").code()).isEqualTo("conflict");
        assertThat(new UnauthenticatedException("m").code()).isEqualTo("unauthenticated");
        assertThat(new ForbiddenException("m").code()).isEqualTo("forbidden");
        assertThat(new RateLimitedException("m", 3).code()).isEqualTo("rate_limited");
    }

    @Test
    void retryAfterWhenRateLimitedThenKept() {
        assertThat(new RateLimitedException("over 2 per 1m", 30).retryAfterSeconds()).isEqualTo(30);
    }

    @Test
    void messageWhenNotFoundThenNamesWhatAndName() {
        assertThat(new NotFoundException("role", "billing-reader"))
                .hasMessage("role 'billing-reader' does not exist");
    }

    @Test
    void messageWhenOtherSubtypesThenGivenMessageKept() {
        assertThat(new ConflictException("role 'admin' exists already")).hasMessage("role 'admin' exists already");
        assertThat(new ForbiddenException("missing keygate.roles:write")).hasMessage("missing keygate.roles:write");
        assertThat(new UnauthenticatedException("no usable bearer token")).hasMessage("no usable bearer token");
    }

    @Test
    void suppressedWhenAddedThenIgnoredBecauseSuppressionDisabled() {
        ConflictException e = new ConflictException("in use");

        e.addSuppressed(new IllegalStateException("x"));

        assertThat(e.getSuppressed()).isEmpty();
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void permittedSubclassesWhenSealedThenExactlyTheSixDocumented() {
        assertThat(KeygateException.class.isSealed()).isTrue();
        assertThat(KeygateException.class.getPermittedSubclasses()).containsExactlyInAnyOrder(
                ValidationException.class, NotFoundException.class, ConflictException.class,
                UnauthenticatedException.class, ForbiddenException.class, RateLimitedException.class);
    }
}
