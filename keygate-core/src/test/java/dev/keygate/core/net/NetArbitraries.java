package dev.keygate.core.net;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

import java.math.BigInteger;
import java.util.StringJoiner;

/**
 * Generators of raw addresses and ranges, and a reference model of CIDR arithmetic on {@link BigInteger}
 * written independently of {@link Cidr}. IPv6 groups are zero half the time, so that generated addresses have
 * the zero runs that {@code ::} compresses. IPv4-mapped IPv6 addresses are left out: they are IPv4 addresses
 * in disguise, with their own example tests.
 */
final class NetArbitraries {

    private NetArbitraries() {
    }

    /** An address and a prefix length valid for its family. */
    record Range(byte[] address, int prefix) {
    }

    static Arbitrary<byte[]> ipv4() {
        return Arbitraries.bytes().array(byte[].class).ofSize(4);
    }

    static Arbitrary<byte[]> ipv6() {
        Arbitrary<Integer> group = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xffff)));
        return group.array(int[].class).ofSize(8).map(groups -> {
            byte[] address = new byte[16];
            for (int g = 0; g < 8; g++) {
                address[2 * g] = (byte) (groups[g] >>> 8);
                address[2 * g + 1] = (byte) groups[g];
            }
            return address;
        }).filter(a -> !isIpv4Mapped(a));
    }

    static Arbitrary<byte[]> addresses() {
        return Arbitraries.oneOf(ipv4(), ipv6());
    }

    static Arbitrary<Range> ranges() {
        return addresses().flatMap(a -> Arbitraries.integers().between(0, a.length * 8).map(p -> new Range(a, p)));
    }

    /** {@code address} with every bit from {@code from} (counted from the most significant) replaced at random. */
    static Arbitrary<byte[]> withRandomBitsFrom(byte[] address, int from) {
        int bits = address.length * 8;
        return Arbitraries.bytes().array(byte[].class).ofSize(address.length).map(noise -> {
            BigInteger kept = value(address).and(mask(bits, from));
            BigInteger random = value(noise).andNot(mask(bits, from));
            return bytes(kept.or(random), address.length);
        }).filter(a -> !isIpv4Mapped(a));
    }

    static boolean isIpv4Mapped(byte[] a) {
        return a.length == 16 && value(a).shiftRight(32).equals(BigInteger.valueOf(0xffff));
    }

    /** The reference: same family, and equal to the network under the prefix mask. */
    static boolean referenceContains(Range range, byte[] address) {
        int bits = range.address().length * 8;
        return address.length == range.address().length
                && value(address).and(mask(bits, range.prefix())).equals(value(networkOf(range)));
    }

    static byte[] networkOf(Range range) {
        int bits = range.address().length * 8;
        return bytes(value(range.address()).and(mask(bits, range.prefix())), range.address().length);
    }

    /** The longest text form: dotted quad, or eight groups of four upper-case hex digits. */
    static String longText(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        StringJoiner groups = new StringJoiner(":");
        for (int g = 0; g < 8; g++) {
            groups.add(String.format("%02X%02X", address[2 * g], address[2 * g + 1]));
        }
        return groups.toString();
    }

    /** A mask of {@code bits} bits whose top {@code prefix} bits are set. */
    static BigInteger mask(int bits, int prefix) {
        BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        return all.shiftRight(bits - prefix).shiftLeft(bits - prefix);
    }

    static BigInteger value(byte[] address) {
        return new BigInteger(1, address);
    }

    static byte[] bytes(BigInteger value, int length) {
        byte[] minimal = value.toByteArray();
        byte[] out = new byte[length];
        int n = Math.min(minimal.length, length);
        System.arraycopy(minimal, minimal.length - n, out, length - n, n);
        return out;
    }
}
