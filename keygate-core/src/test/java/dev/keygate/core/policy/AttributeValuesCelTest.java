package dev.keygate.core.policy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AttributeValues.AttributeMap} and {@link AttributeValues.AttributeList} are handed to CEL as
 * {@code CelValue}s rather than as plain maps and lists; CEL must treat them exactly as it treats plain ones.
 * Each expression is evaluated both ways and must give the same answer (or fail both ways).
 */
class AttributeValuesCelTest {

    private static final MapType MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

    /** Plain CEL, with the same variables, given plain Java maps and lists. */
    private static final Cel PLAIN = CelFactory.plannerCelBuilder()
            .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("resource", MAP)
            .addVar("token.metadata", MAP)
            .setResultType(SimpleType.BOOL)
            .build();

    /** The resource, with JSON's null as {@code nul} (CEL's own null for plain CEL, Java's for conditions). */
    private static Map<String, Object> resource(Object nul) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("s", "text");
        map.put("n", 3L);
        map.put("d", 2.5);
        map.put("b", true);
        map.put("nul", nul);
        map.put("tags", List.of("eu", "prod"));
        map.put("empty", List.of());
        map.put("nested", Map.of("k", "v", "list", List.of(1L, 2L), "inner", Map.of("x", 1L)));
        map.put("objects", List.of(Map.of("name", "a"), Map.of("name", "b")));
        return map;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "resource.s == 'text'", "resource.n == 3", "resource.n == 3.0", "resource.d > 2", "resource.b",
            "resource.nul == null", "resource.missing == 1", "has(resource.s)", "has(resource.missing)",
            "has(resource.nul)", "has(resource.nested.inner.x)", "has(resource.nested.inner.y)",
            "'s' in resource", "'missing' in resource", "size(resource) == 9", "resource.size() > 0",
            "resource.tags == ['eu', 'prod']", "resource.tags == ['prod', 'eu']", "['eu', 'prod'] == resource.tags",
            "'eu' in resource.tags", "'us' in resource.tags", "size(resource.tags) == 2", "resource.tags[0] == 'eu'",
            "resource.tags[2] == 'x'", "resource.tags[-1] == 'x'", "resource.tags + resource.tags == ['eu', 'prod', 'eu', 'prod']",
            "resource.empty == []", "size(resource.empty) == 0", "resource.empty.all(x, false)",
            "resource.tags.exists(t, t == 'prod')", "resource.tags.all(t, t.size() >= 2)",
            "resource.tags.exists_one(t, t == 'eu')", "resource.tags.map(t, t + '!') == ['eu!', 'prod!']",
            "resource.tags.filter(t, t.startsWith('p')) == ['prod']",
            "resource.nested == {'k': 'v', 'list': [1, 2], 'inner': {'x': 1}}",
            "resource.nested == {'k': 'v'}", "{'k': 'v', 'list': [1, 2], 'inner': {'x': 1}} == resource.nested",
            "resource.nested.inner == {'x': 1}", "resource.nested.inner == {'x': 1.0}", "resource.nested.list == [1, 2]",
            "resource.nested.list == [1.0, 2.0]", "resource.nested['k'] == 'v'", "resource.nested['zz'] == 'v'",
            "resource.nested.exists(k, k == 'inner')", "resource.nested.all(k, k.size() > 0)",
            "resource.nested.map(k, k).size() == 3", "resource.nested.filter(k, k == 'k') == ['k']",
            "resource.objects.exists(o, o.name == 'b')", "resource.objects.map(o, o.name) == ['a', 'b']",
            "resource.objects[1] == {'name': 'b'}", "{'name': 'a'} in resource.objects",
            "type(resource) == map", "type(resource.tags) == list", "type(resource.nested.inner) == map",
            "type(resource.n) == int", "type(resource.nul) == null_type", "dyn(resource.tags) == ['eu', 'prod']",
            "resource == resource", "resource.tags == resource.tags", "resource != {}", "resource.tags != []",
            "token.metadata == {'team': 'billing'}", "token.metadata.team == 'billing'",
            "resource.tags.exists(t, t in token.metadata)", "string(resource.n) == '3'", "int(resource.d) == 2",
            "resource.s + resource.s == 'texttext'", "resource.tags.size() == resource.nested.list.size()",
            "[resource.tags, resource.nested] == [['eu', 'prod'], {'k': 'v', 'list': [1, 2], 'inner': {'x': 1}}]",
            "{'a': resource.tags}.a == ['eu', 'prod']", "resource.nested.inner.x in resource.nested.list",
    })
    void testWhenAttributeValuesThenSameAsPlainMapsAndLists(String source) throws Exception {
        Map<String, Object> metadata = Map.of("team", "billing");
        String plain;
        try {
            CelRuntime.Program program = PLAIN.createProgram(PLAIN.compile(source).getAst());
            plain = String.valueOf(program.eval(Map.of("resource", resource(NullValue.NULL_VALUE), "token.metadata", metadata)));
        } catch (Exception e) {
            plain = "error";
        }

        String ours;
        try {
            ours = String.valueOf(Conditions.compile(source).test(
                    new RequestAttributes(null, Instant.EPOCH, null, resource(null)),
                    SubjectAttributes.of("t", metadata, null, null, null, null, null)));
        } catch (ConditionException e) {
            ours = "error";
        }

        assertThat(ours).as(source).isEqualTo(plain);
    }
}
