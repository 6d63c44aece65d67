package dev.keygate.core.net;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link IpAddresses} against itself (round trips) and against the JDK's own literal parser. */
class IpAddressesPropertyTest {

    @Provide
    Arbitrary<byte[]> addresses() {
        return NetArbitraries.addresses();
    }

    @Provide
    Arbitrary<byte[]> ipv6() {
        return NetArbitraries.ipv6();
    }

    @Property
    void formatWhenParsedBackThenSameBytes(@ForAll("addresses") byte[] address) {
        assertThat(IpAddresses.parse(IpAddresses.format(address))).isEqualTo(address);
    }

    @Property
    void parseWhenLongestFormThenSameBytesAsCanonicalForm(@ForAll("addresses") byte[] address) {
        assertThat(IpAddresses.parse(NetArbitraries.longText(address))).isEqualTo(address);
    }

    @Property
    void parseWhenIpv6WithDottedTailThenSameBytes(@ForAll("ipv6") byte[] address) {
        String head = NetArbitraries.longText(address);
        String text = head.substring(0, head.lastIndexOf(':', head.lastIndexOf(':') - 1) + 1)
                + (address[12] & 0xff) + "." + (address[13] & 0xff) + "." + (address[14] & 0xff) + "."
                + (address[15] & 0xff);

        assertThat(IpAddresses.parse(text)).as(text).isEqualTo(address);
    }

    /** The JDK as an oracle: it reads our canonical text as the same address (it is a literal, so no lookup). */
    @Property
    void formatWhenReadByJdkThenSameBytes(@ForAll("addresses") byte[] address) throws UnknownHostException {
        String text = IpAddresses.format(address);

        assertThat(InetAddress.getByName(text).getAddress()).as(text).isEqualTo(address);
    }

    /** The JDK's own text form, {@code x:x:x:x:x:x:x:x} with no compression, reads back as the same address. */
    @Property
    void parseWhenJdkTextThenSameBytes(@ForAll("addresses") byte[] address) throws UnknownHostException {
        String text = InetAddress.getByAddress(address).getHostAddress();

        assertThat(IpAddresses.parse(text)).as(text).isEqualTo(address);
    }
}
