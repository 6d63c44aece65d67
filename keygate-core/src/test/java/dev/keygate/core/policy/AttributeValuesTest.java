package dev.keygate.core.policy;

import dev.cel.common.values.NullValue;
import dev.keygate.core.policy.AttributeValues.AttributeList;
import dev.keygate.core.policy.AttributeValues.AttributeMap;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttributeValuesTest {

    @Test
    void convertMapWhenJsonValuesThenCelValues() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("s", "text");
        json.put("i", 7);
        json.put("l", 7L);
        json.put("d", 0.5);
        json.put("f", 0.5f);
        json.put("b", true);
        json.put("n", null);
        json.put("big", BigInteger.valueOf(Long.MAX_VALUE));
        json.put("dec", new BigDecimal("1.25"));
        json.put("list", List.of(1, "two"));
        json.put("map", Map.of("k", (short) 3));

        AttributeMap map = AttributeValues.convertMap(json, "resource");

        assertThat(map).containsExactly(
                Map.entry("s", "text"), Map.entry("i", 7L), Map.entry("l", 7L), Map.entry("d", 0.5),
                Map.entry("f", 0.5), Map.entry("b", true), Map.entry("n", NullValue.NULL_VALUE),
                Map.entry("big", Long.MAX_VALUE), Map.entry("dec", 1.25), Map.entry("list", List.of(1L, "two")),
                Map.entry("map", Map.of("k", 3L)));
        assertThat(map.get("list")).isInstanceOf(AttributeList.class);
        assertThat(map.get("map")).isInstanceOf(AttributeMap.class);
    }

    @Test
    void convertMapWhenNullOrEmptyThenTheEmptyMap() {
        assertThat(AttributeValues.convertMap(null, "resource")).isSameAs(AttributeValues.EMPTY_MAP).isEmpty();
        assertThat(AttributeValues.convertMap(Map.of(), "resource")).isSameAs(AttributeValues.EMPTY_MAP);
    }

    @Test
    void convertMapWhenSourceChangesLaterThenTheCopyDoesNot() {
        Map<String, Object> json = new HashMap<>(Map.of("k", new ArrayList<>(List.of(1))));

        AttributeMap map = AttributeValues.convertMap(json, "resource");
        json.put("k2", 2);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) json.get("k");
        list.add(2);

        assertThat(map).containsExactly(Map.entry("k", List.of(1L)));
        assertThatThrownBy(() -> map.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((AttributeList) map.get("k")).add(1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void convertMapWhenUnsupportedValueThenNamesTheTypeNotTheValue() {
        assertThatThrownBy(() -> AttributeValues.convertMap(Map.of("k", Set.of("secret")), "token metadata"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("token metadata holds a value of unsupported type java.util.")
                .message().doesNotContain("secret");
        assertThatThrownBy(() -> AttributeValues.convertMap(Map.of("k", BigInteger.TWO.pow(64)), "resource"))
                .hasMessage("resource holds a value of unsupported type BigInteger beyond 64 bits");
    }

    @Test
    void convertMapWhenKeyNotAStringThenRefused() {
        assertThatThrownBy(() -> AttributeValues.convertMap(Map.of("k", Map.of(1, "v")), "resource"))
                .hasMessage("resource has a key of type java.lang.Integer; keys must be strings");
    }

    @Test
    void convertMapWhenNestedTooDeeplyThenRefused() {
        Object value = "leaf";
        for (int i = 0; i < AttributeValues.MAX_DEPTH; i++) {
            value = List.of(value);
        }
        Map<String, Object> deepEnough = Map.of("k", value);

        assertThat(AttributeValues.convertMap(Map.of("k", ((List<?>) value).get(0)), "resource")).hasSize(1);
        assertThatThrownBy(() -> AttributeValues.convertMap(deepEnough, "resource"))
                .hasMessage("resource nests lists and maps more than 64 deep");
    }

    @Test
    void weightWhenConvertedThenCharactersAndElementsNested() {
        AttributeMap map = AttributeValues.convertMap(Map.of("ab", List.of("xyz", 1, true)), "resource");

        // map 1 + key 2 + list (1 + 3 + 1 + 1)
        assertThat(AttributeValues.weight(map)).isEqualTo(9);
        assertThat(AttributeValues.weight(map.get("ab"))).isEqualTo(6);
        assertThat(AttributeValues.weight("")).isEqualTo(1);
        assertThat(AttributeValues.weight(42L)).isEqualTo(1);
    }

    @Test
    void weightWhenBuiltListsShareElementsThenCountsEveryReference() {
        List<Object> leaf = List.of("abcd", "efgh");
        List<Object> level = Collections.nCopies(10, leaf);
        List<Object> top = Collections.nCopies(10, level);

        assertThat(AttributeValues.weight(leaf, Long.MAX_VALUE)).isEqualTo(9);
        assertThat(AttributeValues.weight(top, Long.MAX_VALUE)).isEqualTo(1 + 10 * (1 + 10 * 9));
        assertThat(AttributeValues.weight(top, 100)).isGreaterThan(100);
    }
}
