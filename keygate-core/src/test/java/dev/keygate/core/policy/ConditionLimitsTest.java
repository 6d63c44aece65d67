package dev.keygate.core.policy;

import dev.keygate.core.policy.TestAttributes.RequestBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.keygate.core.policy.TestAttributes.request;
import static dev.keygate.core.policy.TestAttributes.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Expressions built to stall an evaluation fail fast instead, each at the limit meant for it. The time bound
 * asserted is loose (a second, on a loaded machine); the limits themselves keep these to milliseconds.
 */
class ConditionLimitsTest {

    private static final String TEN = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
    private static final Duration FAST = Duration.ofSeconds(1);

    private static ConditionException failsFast(String source, RequestBuilder request) {
        Condition condition = Conditions.compile(source);
        RequestAttributes attributes = request.build();
        SubjectAttributes subject = subject().build();
        long start = System.nanoTime();
        ConditionException e = catchThrowableOfType(ConditionException.class,
                () -> condition.test(attributes, subject));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
        assertThat(e).as("a ConditionException from %s", source).isNotNull();
        return e;
    }

    @Test
    void testWhenNestedComprehensionsOverBuiltListsThenIterationLimit() {
        // 10^4 iterations of an empty body.
        String source = TEN + ".all(a, " + TEN + ".all(b, " + TEN + ".all(c, " + TEN + ".all(d, true))))";

        assertThat(failsFast(source, request()))
                .hasMessageEndingWith("comprehensions took more than 1000 iterations");
    }

    @Test
    void testWhenStringDoubledAtEachNestingThenDataLimit() {
        // Each level makes the string ten times longer: 10^10 characters after ten levels.
        String source = "'abcdefghij'";
        for (int i = 0; i < 10; i++) {
            source = "[" + source + "].map(x, x + x + x + x + x + x + x + x + x + x)[0]";
        }

        assertThat(failsFast("size(" + source + ") > 0", request()))
                .hasMessageEndingWith("evaluation read or built more than 100000 units of data");
    }

    @Test
    void testWhenListsShareElementsExponentiallyThenDataLimit() {
        // Ten references to the level below at each level: 10^8 leaves in a structure of 80 lists, which
        // equality would walk in full.
        String nested = "[1]";
        for (int i = 0; i < 8; i++) {
            nested = "[" + nested + "].map(x, [x, x, x, x, x, x, x, x, x, x])[0]";
        }

        assertThat(failsFast(nested + " == " + nested, request()))
                .hasMessageEndingWith("evaluation read or built more than 100000 units of data");
    }

    @Test
    void testWhenManyStepsWithinTheIterationLimitThenStepLimit() {
        // 100 iterations of a body of about 150 sub-expressions.
        String body = String.join(" && ", java.util.Collections.nCopies(50, "a + b > 0"));
        String source = TEN + ".all(a, " + TEN + ".all(b, " + body + "))";

        assertThat(failsFast(source, request())).hasMessageEndingWith("evaluation took more than 10000 steps");
    }

    @Test
    void testWhenRegexOverALongStringThenChargedByPatternSize() {
        // The subject's length times the pattern's RE2 program size: 5,000 x 12 or so passes, 20,000 x 12 does not.
        String source = "resource.text.matches('^(a|b)*c?$')";

        assertThat(Conditions.compile(source).test(request().resource("text", "a".repeat(5_000)).build(),
                subject().build())).isTrue();
        assertThat(failsFast(source, request().resource("text", "a".repeat(20_000))))
                .hasMessageEndingWith("units of data");
    }

    @Test
    void testWhenSubstringSearchOfTwoLongStringsThenChargedTheProduct() {
        RequestBuilder request = request()
                .resource("text", "a".repeat(5_000))
                .resource("pattern", "a".repeat(2_000) + "b")
                .resource("short", "aab");

        assertThat(failsFast("resource.text.contains(resource.pattern)", request))
                .hasMessageEndingWith("units of data");
        assertThat(failsFast("resource.text.indexOf(resource.pattern) >= 0", request))
                .hasMessageEndingWith("units of data");
        assertThat(Conditions.compile("resource.text.contains(resource.short)").test(request.build(),
                subject().build())).isFalse();
    }

    @Test
    void testWhenLargeValueReadRepeatedlyThenDataLimit() {
        RequestBuilder request = request().resource("blob", "x".repeat(40_000));

        assertThat(Conditions.compile("size(resource.blob) > 0").test(request.build(), subject().build())).isTrue();
        assertThat(failsFast("size(resource.blob) > 0 && size(resource.blob) > 1 && size(resource.blob) > 2",
                request)).hasMessageEndingWith("units of data");
    }

    @Test
    void testWhenConcatenatingALargeValueThenDataLimit() {
        RequestBuilder request = request().resource("s", "x".repeat(10_000));

        assertThat(failsFast("size(resource.s + resource.s + resource.s + resource.s + resource.s + resource.s) "
                + "> 0", request)).hasMessageEndingWith("units of data");
    }

    @Test
    void testWhenComprehensionOverAModestListThenWithinLimits() {
        List<Object> tags = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            tags.add("tag-" + i);
        }
        Condition condition = Conditions.compile("resource.tags.exists(t, t == 'tag-499') "
                + "&& resource.tags.all(t, t.startsWith('tag-'))");

        assertThat(condition.test(request().resource("tags", tags).build(), subject().build())).isTrue();
    }

    @Test
    void testWhenLimitPassedInsideAnOrThenTheOtherSideCannotRescueIt() {
        // CEL's || absorbs an error from one side when the other is true; a spent budget must not be absorbed.
        String source = TEN + ".all(a, " + TEN + ".all(b, " + TEN + ".all(c, " + TEN + ".all(d, true)))) || true";
        String stepsSource = TEN + ".all(a, " + TEN + ".all(b, "
                + String.join(" && ", java.util.Collections.nCopies(50, "a + b > 0")) + ")) || true";

        assertThat(Conditions.compile(source).test(request().build(), subject().build()))
                .as("CEL's iteration limit is an ordinary error, absorbed by ||: the expression is true anyway")
                .isTrue();
        assertThat(failsFast(stepsSource, request())).hasMessageEndingWith("evaluation took more than 10000 steps");
    }
}
