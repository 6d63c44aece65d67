package dev.keygate.core.policy;

import dev.cel.common.exceptions.CelAttributeNotFoundException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.CelValue;
import dev.cel.common.values.NullValue;
import dev.cel.common.values.SelectableValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Converts free-form attribute values (as read from JSON) to the values CEL evaluates, and measures values for
 * the evaluation's data budget.
 *
 * <p>Converted values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, CEL's
 * {@link NullValue}, and the immutable {@link AttributeList} and {@link AttributeMap}, which know their
 * {@linkplain #weight weight}. CEL takes such values as they are, without copying or walking them.
 */
final class AttributeValues {

    /** The deepest nesting of lists and maps accepted in an attribute value. */
    static final int MAX_DEPTH = 64;

    static final AttributeMap EMPTY_MAP = new AttributeMap(Collections.emptyMap(), 1);

    private AttributeValues() {
    }

    /**
     * Converts a map of attributes; null is the empty map.
     *
     * @throws IllegalArgumentException naming {@code what} if a value has a type that JSON cannot produce, a
     *                                  key is not a string, or lists and maps nest more than {@value #MAX_DEPTH}
     *                                  deep; the message names types, never values
     */
    static AttributeMap convertMap(Map<String, ?> map, String what) {
        return map == null || map.isEmpty() ? EMPTY_MAP : (AttributeMap) convert(map, what, 0);
    }

    private static Object convert(Object value, String what, int depth) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigInteger i && i.bitLength() < Long.SIZE) {
            return i.longValue();
        }
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            if (depth == MAX_DEPTH) {
                throw new IllegalArgumentException(what + " nests lists and maps more than " + MAX_DEPTH + " deep");
            }
            return value instanceof List<?> list ? convertList(list, what, depth + 1)
                    : convertEntries((Map<?, ?>) value, what, depth + 1);
        }
        throw new IllegalArgumentException(what + " holds a value of unsupported type "
                + (value instanceof BigInteger ? "BigInteger beyond 64 bits" : value.getClass().getName()));
    }

    private static AttributeList convertList(List<?> list, String what, int depth) {
        Object[] elements = new Object[list.size()];
        long weight = 1;
        int i = 0;
        for (Object element : list) {
            elements[i] = convert(element, what, depth);
            weight += weight(elements[i]);
            i++;
        }
        return new AttributeList(elements, weight);
    }

    private static AttributeMap convertEntries(Map<?, ?> map, String what, int depth) {
        Map<String, Object> entries = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
        long weight = 1;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException(what + " has a key of type "
                        + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName())
                        + "; keys must be strings");
            }
            Object value = convert(entry.getValue(), what, depth);
            entries.put(key, value);
            weight += key.length() + weight(value);
        }
        return new AttributeMap(entries, weight);
    }

    /**
     * The weight of a converted value: 1 for a scalar, the length of a string, and for a list or map 1 plus the
     * weights of its elements (and keys). O(1).
     */
    static long weight(Object value) {
        if (value instanceof String s) {
            return Math.max(1, s.length());
        }
        if (value instanceof AttributeMap m) {
            return m.weight;
        }
        if (value instanceof AttributeList l) {
            return l.weight;
        }
        return 1;
    }

    /**
     * The weight of any value CEL may produce, as for {@link #weight}, walking the lists and maps built during
     * evaluation. Those may share elements, so that their weight can far exceed their number of objects; the
     * walk counts a shared list or map once per reference without walking it again, and stops as soon as the
     * weight passes {@code limit}.
     *
     * @return the weight, or a number greater than {@code limit}
     */
    static long weight(Object value, long limit) {
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            return value instanceof CelValue ? weight(value) : weigh(value, limit, null);
        }
        if (value instanceof CelByteString b) {
            return Math.max(1, b.size());
        }
        return weight(value);
    }

    /** {@code seen}: the weights of the containers met so far in this walk, created when the first nested one is. */
    private static long weigh(Object container, long limit, Map<Object, Long> seen) {
        long weight = 1;
        Iterable<?> elements = container instanceof List<?> list ? list : ((Map<?, ?>) container).entrySet();
        for (Object element : elements) {
            if (weight > limit) {
                break;
            }
            if (element instanceof Map.Entry<?, ?> entry) {
                weight += weight(entry.getKey());
                element = entry.getValue();
            }
            if ((element instanceof List<?> || element instanceof Map<?, ?>) && !(element instanceof CelValue)) {
                if (seen == null) {
                    seen = new IdentityHashMap<>();
                }
                Long known = seen.get(element);
                if (known == null) {
                    known = weigh(element, limit - weight, seen);
                    seen.put(element, known);
                }
                weight += known;
            } else {
                weight += weight(element, limit - weight);
            }
        }
        return weight;
    }

    /**
     * An immutable list of converted values that knows its weight. It is a {@link CelValue} so that CEL takes it
     * as it is: CEL walks and re-checks every plain {@code List} it reads, on every read.
     */
    static final class AttributeList extends CelValue implements List<Object>, RandomAccess {

        /** As CEL types any list at run time (and as {@code type(l) == list} expects). */
        private static final CelType TYPE = ListType.create(SimpleType.DYN);

        private final List<Object> elements;
        private final long weight;

        private AttributeList(Object[] elements, long weight) {
            this.elements = Collections.unmodifiableList(Arrays.asList(elements));
            this.weight = weight;
        }

        @Override
        public List<Object> value() {
            return this;
        }

        @Override
        public boolean isZeroValue() {
            return elements.isEmpty();
        }

        @Override
        public CelType celType() {
            return TYPE;
        }

        @Override
        public int size() {
            return elements.size();
        }

        @Override
        public boolean isEmpty() {
            return elements.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            return elements.contains(o);
        }

        @Override
        public Iterator<Object> iterator() {
            return elements.iterator();
        }

        @Override
        public Object[] toArray() {
            return elements.toArray();
        }

        @Override
        public <T> T[] toArray(T[] a) {
            return elements.toArray(a);
        }

        @Override
        public boolean containsAll(Collection<?> c) {
            return elements.containsAll(c);
        }

        @Override
        public Object get(int index) {
            return elements.get(index);
        }

        @Override
        public int indexOf(Object o) {
            return elements.indexOf(o);
        }

        @Override
        public int lastIndexOf(Object o) {
            return elements.lastIndexOf(o);
        }

        @Override
        public ListIterator<Object> listIterator() {
            return elements.listIterator();
        }

        @Override
        public ListIterator<Object> listIterator(int index) {
            return elements.listIterator(index);
        }

        @Override
        public List<Object> subList(int fromIndex, int toIndex) {
            return elements.subList(fromIndex, toIndex);
        }

        @Override
        public boolean add(Object o) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean remove(Object o) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean addAll(Collection<?> c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean addAll(int index, Collection<?> c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean removeAll(Collection<?> c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean retainAll(Collection<?> c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void clear() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object set(int index, Object element) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void add(int index, Object element) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object remove(int index) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean equals(Object o) {
            return o == this || elements.equals(o);
        }

        @Override
        public int hashCode() {
            return elements.hashCode();
        }

        @Override
        public String toString() {
            return elements.toString();
        }
    }

    /**
     * An immutable map of converted values, in the order given, that knows its weight. It is a {@link CelValue}
     * so that CEL takes it as it is (CEL walks and re-checks every plain {@code Map} it reads, on every read:
     * tens of microseconds for a map of a few thousand entries), and a {@link SelectableValue} for
     * {@code map.key} and {@code has(map.key)}.
     */
    static final class AttributeMap extends CelValue implements Map<String, Object>, SelectableValue<String> {

        /** As CEL types any map at run time (and as {@code type(m) == map} expects): keys and values dyn. */
        private static final CelType TYPE = MapType.create(SimpleType.DYN, SimpleType.DYN);

        private final Map<String, Object> entries;
        private final long weight;

        private AttributeMap(Map<String, Object> entries, long weight) {
            this.entries = Collections.unmodifiableMap(entries);
            this.weight = weight;
        }

        @Override
        public Map<String, Object> value() {
            return this;
        }

        @Override
        public boolean isZeroValue() {
            return entries.isEmpty();
        }

        @Override
        public CelType celType() {
            return TYPE;
        }

        @Override
        public Object select(String field) {
            Object value = entries.get(field);
            if (value == null) {
                throw CelAttributeNotFoundException.forMissingMapKey(field);
            }
            return value;
        }

        @Override
        public Optional<?> find(String field) {
            return Optional.ofNullable(entries.get(field));
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public boolean isEmpty() {
            return entries.isEmpty();
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public boolean containsValue(Object value) {
            return entries.containsValue(value);
        }

        @Override
        public Object get(Object key) {
            return entries.get(key);
        }

        @Override
        public Set<String> keySet() {
            return entries.keySet();
        }

        @Override
        public Collection<Object> values() {
            return entries.values();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return entries.entrySet();
        }

        @Override
        public Object put(String key, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object remove(Object key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void putAll(Map<? extends String, ?> m) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void clear() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean equals(Object o) {
            return o == this || entries.equals(o);
        }

        @Override
        public int hashCode() {
            return entries.hashCode();
        }

        @Override
        public String toString() {
            return entries.toString();
        }
    }
}
