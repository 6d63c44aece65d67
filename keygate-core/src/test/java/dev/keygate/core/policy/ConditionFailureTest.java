package dev.keygate.core.policy;

import dev.keygate.core.policy.TestAttributes.RequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.keygate.core.policy.TestAttributes.request;
import static dev.keygate.core.policy.TestAttributes.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Evaluations that fail: they throw {@link ConditionException}, say what failed and where, and quote no value. */
class ConditionFailureTest {

    private static final String SECRET = "hunter2-s3cr3t";

    private static ConditionException failure(String source, RequestBuilder request) {
        Condition condition = Conditions.compile(source);
        return catchThrowableOfType(ConditionException.class,
                () -> condition.test(request.build(), subject().build()));
    }

    @Test
    void testWhenIpReadButNotGivenThenFailsNamingIt() {
        ConditionException e = failure("request.ip.startsWith('10.')", request().ip(null));

        assertThat(e).hasMessage("at position 8 (line 1, column 9): request.ip is absent");
        assertThat(e.position()).isEqualTo(8);
    }

    @Test
    void testWhenIpAbsentForInCidrThenFails() {
        assertThat(failure("request.ip.inCidr('10.0.0.0/8')", request().ip(null)))
                .hasMessageEndingWith("request.ip is absent");
    }

    @Test
    void testWhenOtherSubjectAttributeAbsentThenFailsNamingIt() {
        Condition condition = Conditions.compile("token.environment == 'live'");

        assertThatThrownBy(() -> condition.test(request().build(), subject().tokenEnvironment(null).build()))
                .isInstanceOf(ConditionException.class)
                .hasMessageEndingWith("token.environment is absent");
    }

    @Test
    void testWhenResourceKeyAbsentThenFailsNamingTheKey() {
        ConditionException e = failure("resource.owner == principal.name", request().resource("other", "x"));

        assertThat(e).hasMessage("at position 9 (line 1, column 10): no such key: 'owner'");
    }

    @Test
    void testWhenNoResourceAtAllThenItIsEmpty() {
        assertThat(failure("resource.owner == 'x'", request())).hasMessageEndingWith("no such key: 'owner'");
        assertThat(Conditions.compile("size(resource) == 0").test(request().build(), subject().build())).isTrue();
    }

    @Test
    void testWhenKeyComputedFromDataIsAbsentThenTheKeyIsNotQuoted() {
        Condition condition = Conditions.compile("resource[token.metadata.key] == 1");
        SubjectAttributes subject = subject().tokenMetadata(Map.of("key", SECRET)).build();

        assertThatThrownBy(() -> condition.test(request().build(), subject))
                .isInstanceOf(ConditionException.class)
                .hasMessageEndingWith("a map has no such key")
                .message().doesNotContain(SECRET);
    }

    @Test
    void testWhenTypeMismatchAtRunTimeThenFailsNamingTheFunction() {
        ConditionException e = failure("resource.n.startsWith('x')", request().resource("n", 3));

        assertThat(e).hasMessage("at position 11 (line 1, column 12): "
                + "startsWith: no overload takes arguments of these types");
    }

    @Test
    void testWhenOperatorTypeMismatchAtRunTimeThenFails() {
        assertThat(failure("resource.n + 1 == 2", request().resource("n", "one")))
                .hasMessage("at position 11 (line 1, column 12): an operator got operands of unexpected types");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "int(resource.secret) == 1;                   0; int: a value could not be converted",
            "resource.owner.matches(resource.secret);      15; matches: invalid argument",
            "resource.secret.inCidr('10.0.0.0/8');         16; inCidr: the address is not an IPv4 or IPv6 address",
            "request.ip.inCidr(resource.secret);           11; inCidr: the range is not a CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)",
            "timestamp(resource.secret) < request.time;    0;  timestamp: a value could not be converted",
            "request.time.getHours(resource.secret) == 1;  13; getHours: a value could not be converted",
    })
    void testWhenValueMalformedThenFailsWithoutQuotingIt(String source, int position, String problem) {
        ConditionException e = failure(source, request().resource("secret", SECRET + "(").resource("owner", "x"));

        assertThat(e.position()).isEqualTo(position);
        assertThat(e.getMessage()).endsWith(problem).doesNotContain(SECRET);
    }

    @Test
    void testWhenResultIsNotBoolAtRunTimeThenFails() {
        assertThat(failure("resource.flag", request().resource("flag", "yes")))
                .hasMessage("evaluated to string, not bool");
        assertThat(failure("resource.flag", request().resource("flag", null)))
                .hasMessage("evaluated to null, not bool");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "resource.n / 0 == 1;             11; division by zero",
            "resource.list[5] == 1;           13; list index out of range",
            "resource.n * 9223372036854775807 > 0; 11; integer overflow",
    })
    void testWhenArithmeticFailsThenFails(String source, int position, String problem) {
        ConditionException e = failure(source, request().resource("n", 2).resource("list", List.of(1)));

        assertThat(e).hasMessageEndingWith(problem);
        assertThat(e.position()).isEqualTo(position);
    }

    @Test
    void testWhenResourceHoldsAnUnsupportedTypeThenFailsNamingTheType() {
        assertThat(failure("size(resource) > 0", request().resource("set", Set.of(SECRET))))
                .hasMessageEndingWith("resource holds a value of unsupported type java.util.ImmutableCollections$Set12")
                .message().doesNotContain(SECRET);
    }

    @Test
    void testWhenArgumentNullThenNullPointerException() {
        Condition condition = Conditions.compile("true");

        assertThatThrownBy(() -> condition.test(null, subject().build())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> condition.test(request().build(), null)).isInstanceOf(NullPointerException.class);
    }
}
