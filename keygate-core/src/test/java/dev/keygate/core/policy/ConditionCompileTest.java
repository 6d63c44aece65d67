package dev.keygate.core.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What {@link Conditions#compile} refuses, and where it says the problem is. */
class ConditionCompileTest {

    private static InvalidConditionException invalid(String source) {
        return catchThrowableOfType(InvalidConditionException.class, () -> Conditions.compile(source));
    }

    @Test
    void compileWhenAttributeMisspeltThenNamesItAtTheField() {
        InvalidConditionException e = invalid("request.tiem.getHours() < 18");

        assertThat(e.position()).isEqualTo(8);
        assertThat(e.problem()).isEqualTo("unknown attribute request.tiem; request has ip, time, environment");
        assertThat(e).hasMessage("at position 8 (line 1, column 9): "
                + "unknown attribute request.tiem; request has ip, time, environment");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "token.metdata.team == 'x'     # 6  # unknown attribute token.metdata; token has id, metadata, environment, created_at",
            "principal.nmae == 'x'         # 10 # unknown attribute principal.nmae; principal has name, kind, metadata",
            "true || request  .  ipp == '' # 20 # unknown attribute request.ipp; request has ip, time, environment",
            "request == 'x'                # 0  # request is not a value; use one of its attributes: ip, time, environment",
    })
    void compileWhenDottedRootMisusedThenNamesTheAttributes(String source, int position, String problem) {
        InvalidConditionException e = invalid(source);

        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.position()).isEqualTo(position);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "request.time.getHourz() < 18            # 13 # undeclared reference to 'getHourz'",
            "foo == 1                                # 0  # undeclared reference to 'foo'",
            "request.ip.startsWith(1)                # 11 # found no matching overload for 'startsWith' applied to 'string.(int)'",
            "size(request.time) > 0                  # 0  # found no matching overload for 'size' applied to '(google.protobuf.Timestamp)'",
            "resource.owner.replace('a', 'b') == 'x' # 15 # undeclared reference to 'replace'",
    })
    void compileWhenUnknownFunctionOrWrongArgumentsThenPointsAtTheFunction(String source, int position,
                                                                             String problem) {
        InvalidConditionException e = invalid(source);

        assertThat(e.problem()).startsWith(problem);
        assertThat(e.position()).isEqualTo(position);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "request.ip ==;              13",
            "request.ip == 'a;           14",
            "(request.ip == 'a';         18",
            "request.ip = 'a';           11",
            "request.ip == 'a' &&& true; 20",
    })
    void compileWhenSyntaxErrorThenPositionOfTheFirst(String source, int position) {
        InvalidConditionException e = invalid(source);

        assertThat(e.problem()).startsWith("syntax error: ");
        assertThat(e.position()).isEqualTo(position);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "1 + 1;                 int",
            "request.ip;            string",
            "request.time;          timestamp",
            "resource;              map(string, dyn)",
            "token.metadata.keys;   dyn",
            "[true];                list(bool)",
            "null;                  null",
            "request.time - token.created_at; duration",
    })
    void compileWhenResultIsNotBoolThenRefusedAtPositionZero(String source, String type) {
        if (type.equals("dyn")) {
            // A dyn result (a value read from a map) is allowed, and checked when evaluated.
            assertThat(Conditions.compile(source).source()).isEqualTo(source);
            return;
        }
        InvalidConditionException e = invalid(source);

        assertThat(e.problem()).isEqualTo("must evaluate to bool, not " + type);
        assertThat(e.position()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "request.ip.inCidr('10.0.0.0/33')       # 18 # inCidr: '10.0.0.0/33' has prefix 33 out of range; an IPv4 prefix is 0 to 32",
            "request.ip.inCidr('10.0.0.1/8')        # 18 # inCidr: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?",
            "request.ip.inCidr('example.com')       # 18 # inCidr: 'example.com' is not an IP address or CIDR range (e.g. 192.0.2.1, 10.0.0.0/8, 2001:db8::/32)",
            "true && '::1'.inCidr('2001:db8::/129') # 21 # inCidr: '2001:db8::/129' has prefix 129 out of range; an IPv6 prefix is 0 to 128",
    })
    void compileWhenCidrLiteralInvalidThenPointsAtIt(String source, int position, String problem) {
        InvalidConditionException e = invalid(source);

        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.position()).isEqualTo(position);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "request.time.getHours('Europe/Berln') < 18; 22; getHours: unknown time zone 'Europe/Berln' (use an IANA name such as Europe/Berlin, or an offset such as +01:00)",
            "request.ip.matches('(');                   19; matches: invalid regular expression: missing closing )",
            "matches(request.ip, '[a-');                 20; matches: invalid regular expression: missing closing ]",
            "request.ip.matches('(?=x)');                19; matches: invalid regular expression: invalid or unsupported Perl syntax",
            "request.time < timestamp('tomorrow');       25; timestamp: 'tomorrow' is not an RFC 3339 timestamp (e.g. 2025-01-31T08:00:00Z)",
            "request.time - token.created_at < duration('1 day'); 43; duration: '1 day' is not a duration (e.g. 90s, 1.5h, 2h30m)",
    })
    void compileWhenOtherLiteralInvalidThenPointsAtIt(String source, int position, String problem) {
        InvalidConditionException e = invalid(source);

        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.position()).isEqualTo(position);
    }

    @ParameterizedTest
    @ValueSource(strings = {"request.time.getHours('+01:00') < 18", "request.time.getHours('UTC') < 18",
            "request.time.getDayOfWeek('America/New_York') == 1", "request.ip.matches('^10\\\\.')"})
    void compileWhenLiteralValidThenCompiles(String source) {
        assertThat(Conditions.compile(source).source()).isEqualTo(source);
    }

    @Test
    void compileWhenNullThenPositionMinusOne() {
        InvalidConditionException e = invalid(null);

        assertThat(e.position()).isEqualTo(-1);
        assertThat(e).hasMessage("must not be null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void compileWhenEmptyOrBlankThenPositionZero(String source) {
        InvalidConditionException e = invalid(source);

        assertThat(e.position()).isZero();
        assertThat(e.problem()).isEqualTo("must not be empty");
    }

    @Test
    void compileWhenLongerThanMaxLengthThenRefusedWithoutParsing() {
        String atLimit = "request.ip == '" + "a".repeat(Conditions.MAX_LENGTH - 16) + "'";
        assertThat(atLimit).hasSize(Conditions.MAX_LENGTH);
        assertThat(Conditions.compile(atLimit).source()).isEqualTo(atLimit);

        InvalidConditionException e = invalid(atLimit + " ");

        assertThat(e.position()).isEqualTo(-1);
        assertThat(e).hasMessage("is 2001 characters long; at most 2000 are allowed");
    }

    @Test
    void compileWhenNestedTooDeeplyThenRefused() {
        String ok = "(".repeat(20) + "true" + ")".repeat(20);
        String deep = "(".repeat(40) + "true" + ")".repeat(40);

        assertThat(Conditions.compile(ok).source()).isEqualTo(ok);
        assertThat(invalid(deep).problem()).isEqualTo("nested more than 32 levels deep");
        assertThat(invalid("1 " + "+ 1 ".repeat(40) + "== 1").problem()).isEqualTo("nested more than 32 levels deep");
    }

    @Test
    void compileWhenTooManySubexpressionsThenRefused() {
        // Macros expand: each all() below is about ten sub-expressions in fourteen characters.
        String many = "[1].all(x,x)&&".repeat(140) + "true";
        assertThat(many).hasSizeLessThan(Conditions.MAX_LENGTH);

        assertThat(invalid(many).problem()).isEqualTo("has more than 1000 sub-expressions");
    }

    @Test
    void compileWhenProblemOnALaterLineThenLineAndColumnInTheMessage() {
        InvalidConditionException e = invalid("request.ip == '10.0.0.1'\n  && principal.nam == 'x'");

        assertThat(e.position()).isEqualTo(40);
        assertThat(e).hasMessage("at position 40 (line 2, column 16): "
                + "unknown attribute principal.nam; principal has name, kind, metadata");
    }

    @Test
    void compileWhenCharactersOutsideTheBmpThenPositionCountsChars() {
        // Each emoji is one code point (CEL's unit) but two chars (the position's unit).
        InvalidConditionException e = invalid("'\uD83D\uDE00\uD83D\uDE00' == foo");

        assertThat(e.position()).isEqualTo(10);
        assertThat(e).hasMessage("at position 10 (line 1, column 9): undeclared reference to 'foo'");
    }

    @Test
    void compileWhenSameSourceTwiceThenSameCondition() {
        String source = "request.environment == 'cache-test'";

        assertThat(Conditions.compile(source)).isSameAs(Conditions.compile(source));
        assertThat(Conditions.compile(source).source()).isEqualTo(source);
    }
}
