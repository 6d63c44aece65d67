package dev.keygate.core.net;

import dev.keygate.core.net.NetArbitraries.Range;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Cidr} checked against the {@link java.math.BigInteger} model in {@link NetArbitraries}. */
class CidrPropertyTest {

    /** A range and an address that shares a random number of its leading bits, or is of either family. */
    record Probe(Range range, byte[] address) {
    }

    @Provide
    Arbitrary<Range> ranges() {
        return NetArbitraries.ranges();
    }

    @Provide
    Arbitrary<Probe> probes() {
        return NetArbitraries.ranges().flatMap(r -> {
            Arbitrary<byte[]> near = Arbitraries.integers().between(0, r.address().length * 8)
                    .flatMap(from -> NetArbitraries.withRandomBitsFrom(r.address(), from));
            return Arbitraries.frequencyOf(
                            Tuple.of(9, near),
                            Tuple.of(1, NetArbitraries.addresses()))
                    .map(a -> new Probe(r, a));
        });
    }

    @Property
    void containsWhenAddressWithinItsOwnNetworkThenTrue(@ForAll("ranges") Range range) {
        String text = NetArbitraries.longText(NetArbitraries.networkOf(range)) + "/" + range.prefix();

        assertThat(Cidr.parse(text).contains(range.address())).as("%s contains its own address", text).isTrue();
    }

    @Property
    void containsWhenAnyAddressThenAgreesWithBigIntegerMasks(@ForAll("probes") Probe probe) {
        Range range = probe.range();
        Cidr cidr = Cidr.parse(IpAddresses.format(NetArbitraries.networkOf(range)) + "/" + range.prefix());
        boolean expected = NetArbitraries.referenceContains(range, probe.address());

        Statistics.label("contained").collect(expected)
                .coverage(c -> {
                    c.check(true).percentage(p -> p > 10);
                    c.check(false).percentage(p -> p > 10);
                });
        assertThat(cidr.contains(probe.address()))
                .as("%s contains %s", cidr, IpAddresses.format(probe.address()))
                .isEqualTo(expected);
    }

    @Property
    void containsWhenOneBitFlippedThenFalseExactlyIfTheBitIsWithinThePrefix(@ForAll("ranges") Range range,
                                                                           @ForAll int seed) {
        byte[] address = range.address();
        int bit = Math.floorMod(seed, address.length * 8);
        byte[] flipped = address.clone();
        flipped[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
        Assume.that(!NetArbitraries.isIpv4Mapped(flipped));
        Cidr cidr = Cidr.parse(IpAddresses.format(NetArbitraries.networkOf(range)) + "/" + range.prefix());

        assertThat(cidr.contains(flipped))
                .as("%s contains %s (bit %d flipped)", cidr, IpAddresses.format(flipped), bit)
                .isEqualTo(bit >= range.prefix());
    }

    @Property
    void toStringWhenParsedBackThenSameCidr(@ForAll("ranges") Range range) {
        Cidr cidr = Cidr.parse(NetArbitraries.longText(NetArbitraries.networkOf(range)) + "/" + range.prefix());

        Cidr again = Cidr.parse(cidr.toString());

        assertThat(again).isEqualTo(cidr).hasSameHashCodeAs(cidr);
        assertThat(again.toString()).isEqualTo(cidr.toString());
    }

    @Property
    void parseWhenHostBitsSetThenMessageSuggestsTheNetwork(@ForAll("ranges") Range range) {
        byte[] network = NetArbitraries.networkOf(range);
        Assume.that(!Arrays.equals(range.address(), network));
        String text = NetArbitraries.longText(range.address()) + "/" + range.prefix();
        String suggestion = Cidr.parse(NetArbitraries.longText(network) + "/" + range.prefix()).toString();

        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'%s' has host bits set; did you mean %s?", text, suggestion);
    }
}
