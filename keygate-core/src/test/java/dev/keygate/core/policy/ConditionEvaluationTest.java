package dev.keygate.core.policy;

import dev.keygate.core.policy.TestAttributes.RequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.keygate.core.policy.TestAttributes.request;
import static dev.keygate.core.policy.TestAttributes.subject;
import static org.assertj.core.api.Assertions.assertThat;

/** The expressions conditions are written for, each made true and false. */
class ConditionEvaluationTest {

    private static boolean test(String source, RequestBuilder request) {
        return Conditions.compile(source).test(request.build(), subject().build());
    }

    @ParameterizedTest
    @CsvSource({
            "2026-01-14T08:00:00Z, true",
            "2026-01-14T12:30:00Z, true",
            "2026-01-14T17:59:59Z, true",
            "2026-01-14T07:59:59Z, false",
            "2026-01-14T18:00:00Z, false",
            "2026-01-14T23:30:00Z, false",
    })
    void testWhenWorkingHoursInUtcThenByTheHour(String time, boolean expected) {
        assertThat(test("request.time.getHours() >= 8 && request.time.getHours() < 18", request().time(time)))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "2026-01-14T16:59:59Z, true",   // 17:59:59 CET
            "2026-01-14T17:00:00Z, false",  // 18:00 CET
            "2026-07-14T15:59:59Z, true",   // 17:59:59 CEST
            "2026-07-14T16:00:00Z, false",  // 18:00 CEST
            "2026-07-14T22:30:00Z, true",   // 00:30 CEST the next day
    })
    void testWhenHoursInATimeZoneThenLocalHours(String time, boolean expected) {
        assertThat(test("request.time.getHours('Europe/Berlin') < 18", request().time(time))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"billing-svc, true", "someone-else, false"})
    void testWhenResourceOwnerComparedToPrincipalThenEquality(String owner, boolean expected) {
        assertThat(test("resource.owner == principal.name", request().resource("owner", owner))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10.1.2.3, true", "10.0.0.0, true", "192.168.10.1, false", "::1, false"})
    void testWhenIpPrefixThenStartsWith(String ip, boolean expected) {
        assertThat(test("request.ip.startsWith('10.')", request().ip(ip))).isEqualTo(expected);
    }

    @Test
    void testWhenMetadataKeyCheckedBeforeUseThenTrueOnlyForThatValue() {
        String source = "'team' in token.metadata && token.metadata.team == 'billing'";
        Condition condition = Conditions.compile(source);

        assertThat(condition.test(request().build(), subject().build())).isTrue();
        assertThat(condition.test(request().build(), subject().tokenMetadata(Map.of("team", "ops")).build()))
                .isFalse();
        assertThat(condition.test(request().build(), subject().tokenMetadata(Map.of()).build())).isFalse();
        assertThat(condition.test(request().build(), subject().tokenMetadata(null).build())).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"live, true", "test, false"})
    void testWhenEnvironmentThenEquality(String environment, boolean expected) {
        assertThat(test("request.environment == 'live'", request().environment(environment))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8,       10.255.0.1,        true",
            "10.0.0.0/8,       11.0.0.1,          false",
            "10.0.0.0/8,       ::ffff:10.0.0.1,   true",
            "192.0.2.1,        192.0.2.1,         true",
            "192.0.2.1/32,     192.0.2.2,         false",
            "0.0.0.0/0,        203.0.113.9,       true",
            "2001:db8::/32,    2001:db8::1,       true",
            "2001:db8::/32,    2001:DB8:0:0::ff,  true",
            "2001:db8::/32,    2001:db9::1,       false",
            "2001:db8::/32,    10.0.0.1,          false",
            "10.0.0.0/8,       2001:db8::1,       false",
    })
    void testWhenInCidrThenMembership(String cidr, String ip, boolean expected) {
        assertThat(test("request.ip.inCidr('" + cidr + "')", request().ip(ip))).isEqualTo(expected);
    }

    @Test
    void testWhenCidrComesFromMetadataThenParsedAtRunTime() {
        Condition condition = Conditions.compile("request.ip.inCidr(token.metadata.network)");
        SubjectAttributes subject = subject().tokenMetadata(Map.of("network", "10.0.0.0/8")).build();

        assertThat(condition.test(request().ip("10.9.9.9").build(), subject)).isTrue();
        assertThat(condition.test(request().ip("172.16.0.1").build(), subject)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "size(resource.tags) == 2                                        ; true",
            "'eu' in resource.tags                                           ; true",
            "'us' in resource.tags                                           ; false",
            "resource.tags.exists(t, t.startsWith('e'))                      ; true",
            "resource.tags.all(t, t.size() == 2)                             ; true",
            "resource.tags.exists_one(t, t.endsWith('u'))                    ; true",
            "resource.tags.map(t, t.upperAscii()) == ['EU', 'PROD']          ; false",
            "resource.tags.map(t, t + '!').size() == 2                       ; true",
            "resource.tags.filter(t, t != 'eu') == ['pr']                    ; true",
            "has(resource.owner)                                             ; true",
            "has(resource.absent)                                            ; false",
            "'owner' in resource && !('absent' in resource)                  ; true",
            "resource.owner.contains('ill')                                  ; true",
            "resource.owner.matches('^billing-[a-z]+$')                      ; true",
            "resource.owner.matches('^ops')                                  ; false",
            "resource.owner.lowerAscii() == 'billing-svc'                    ; true",
            "resource.owner.split('-')[1] == 'svc'                           ; true",
            "resource.owner.substring(0, 7) == 'billing'                     ; true",
            "resource.owner.indexOf('-') == 7                                ; true",
            "resource.count == 3 && resource.count < 3.5                     ; true",
            "resource.ratio > 0.25                                           ; true",
            "resource.enabled                                                ; true",
            "resource.nothing == null                                        ; true",
            "resource.nested.level.deep == 1                                 ; true",
            "resource.nested.list[1].name == 'b'                             ; true",
            "resource.tags == ['eu', 'pr']                                   ; true",
            "resource.tags != ['eu']                                         ; true",
            "resource.nested.level == {'deep': 1}                            ; true",
            "resource.nested.level == {'deep': 2}                            ; false",
            "token.metadata == {'team': 'billing'}                           ; true",
            "resource.tags + ['x'] == ['eu', 'pr', 'x']                      ; true",
            "resource.nested.exists(k, k == 'list')                          ; true",
            "type(resource.tags) == list && type(resource.nested) == map     ; true",
            "resource.count in [1, 2, 3]                                     ; true",
            "principal.kind == 'service' && token.environment == 'live'      ; true",
            "token.id == 'tok_1'                                             ; true",
            "principal.metadata.size() == 0                                  ; true",
            "token.created_at < request.time                                 ; true",
            "request.time - token.created_at < duration('720h')              ; true",
            "request.time > timestamp('2026-01-01T00:00:00Z')                ; true",
            "request.time.getDayOfWeek() in [1, 2, 3, 4, 5]                  ; true",
            "request.ip.startsWith('10.') || request.environment == 'test'   ; true",
            "request.ip.startsWith('11.') || request.environment == 'test'   ; false",
    })
    void testWhenStandardFunctionsAndMacrosThenCelSemantics(String source, boolean expected) {
        RequestBuilder request = request()
                .resource("owner", "billing-svc")
                .resource("tags", List.of("eu", "pr"))
                .resource("count", 3)
                .resource("ratio", 0.5)
                .resource("enabled", true)
                .resource("nothing", null)
                .resource("nested", Map.of("level", Map.of("deep", 1), "list", List.of(Map.of("name", "a"),
                        Map.of("name", "b"))));

        assertThat(test(source, request)).as(source).isEqualTo(expected);
    }

    @Test
    void testWhenIpAbsentButOtherSideOfOrIsTrueThenTrue() {
        // CEL's logical operators absorb an error when the other side decides: the missing ip does not matter.
        assertThat(test("request.ip.startsWith('10.') || request.environment == 'live'", request().ip(null)))
                .isTrue();
        assertThat(test("request.ip.startsWith('10.') && request.environment == 'test'", request().ip(null)))
                .isFalse();
    }

    @Test
    void testWhenResultIsDynAndTrueThenTrue() {
        assertThat(test("resource.flag", request().resource("flag", true))).isTrue();
        assertThat(test("resource.flag", request().resource("flag", false))).isFalse();
    }

    @Test
    void testWhenAttributesChangeThenTheSameConditionFollows() {
        Condition condition = Conditions.compile("resource.owner == principal.name");
        RequestAttributes request = request().resource("owner", "alice").build();

        assertThat(condition.test(request, subject().principalName("alice").build())).isTrue();
        assertThat(condition.test(request, subject().principalName("bob").build())).isFalse();
    }
}
