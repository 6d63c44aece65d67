package dev.keygate.core.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8,             10.0.0.0/8",
            "0.0.0.0/0,              0.0.0.0/0",
            "192.0.2.1/32,           192.0.2.1/32",
            "192.0.2.1,              192.0.2.1/32",
            "255.255.255.255,        255.255.255.255/32",
            "172.16.0.0/12,          172.16.0.0/12",
            "::/0,                   ::/0",
            "::1,                    ::1/128",
            "::1/128,                ::1/128",
            "2001:db8::/32,          2001:db8::/32",
            "2001:DB8:0000::/32,     2001:db8::/32",
            "2001:0db8:0:0:0:0:0:0/32, 2001:db8::/32",
            "fe80::/10,              fe80::/10",
            "2001:db8:0:1::/64,      2001:db8:0:1::/64",
            "2001:db8::1,            2001:db8::1/128",
            "::ffff:1.2.3.4,         1.2.3.4/32",
            "::ffff:10.0.0.0/104,    10.0.0.0/8",
            "::ffff:0.0.0.0/96,      0.0.0.0/0",
            "::ffff:192.0.2.1/128,   192.0.2.1/32",
    })
    void parseWhenValidThenCanonicalText(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @EmptySource
    @ValueSource(strings = {"/", "/8", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0//8", "10.0.0.0/08", "10.0.0.0/00",
            "10.0.0.0/+8", "10.0.0.0/-1", "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0.0 /8", "10.0.0.0/ 8", "10.0.0/8",
            "10.0.0.300/8", "010.0.0.0/8", "10.0.0.0/8a", "10.0.0.0/0x8", "10.0.0.0/1000", "10.0.0.0/8.0",
            "10.0.0.0-10.0.0.255", "10.0.0.*", "localhost", "localhost/32", "example.com/24", "dead.beef",
            "fe80::%eth0/10", "fe80::/10%eth0", "[::1]/128", "[::1/128]", "::/", "2001:db8::/ 32", "2001:db8:/32"})
    void parseWhenMalformedThenThrowsNamingTheValue(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'%s' is not an IP address or CIDR range (e.g. 192.0.2.1, 10.0.0.0/8, 2001:db8::/32)",
                        text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33         | '10.0.0.0/33' has prefix 33 out of range; an IPv4 prefix is 0 to 32",
            "10.0.0.0/128        | '10.0.0.0/128' has prefix 128 out of range; an IPv4 prefix is 0 to 32",
            "::/129              | '::/129' has prefix 129 out of range; an IPv6 prefix is 0 to 128",
            "2001:db8::/999      | '2001:db8::/999' has prefix 999 out of range; an IPv6 prefix is 0 to 128",
            "::ffff:10.0.0.0/8   | '::ffff:10.0.0.0/8' has prefix 8 out of range;"
                    + " an IPv4-mapped IPv6 prefix is 96 to 128",
            "::ffff:0.0.0.0/95   | '::ffff:0.0.0.0/95' has prefix 95 out of range;"
                    + " an IPv4-mapped IPv6 prefix is 96 to 128",
            "::ffff:1.2.3.4/129  | '::ffff:1.2.3.4/129' has prefix 129 out of range;"
                    + " an IPv4-mapped IPv6 prefix is 96 to 128",
    })
    void parseWhenPrefixOutOfRangeThenThrowsWithTheRange(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.5/8,          10.0.0.0/8",
            "192.168.1.1/24,      192.168.1.0/24",
            "10.0.0.1/31,         10.0.0.0/31",
            "10.0.0.1/0,          0.0.0.0/0",
            "255.255.255.255/1,   128.0.0.0/1",
            "2001:db8::1/32,      2001:db8::/32",
            "2001:DB8:1::/32,     2001:db8::/32",
            "fe80::1/10,          fe80::/10",
            "fec0::/9,            fe80::/9",
            "::1/0,               ::/0",
            "::1/127,             ::/127",
            "::ffff:10.0.0.5/104, 10.0.0.0/8",
    })
    void parseWhenHostBitsSetThenThrowsSuggestingTheNetwork(String text, String network) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'%s' has host bits set; did you mean %s?", text, network);
    }

    @Test
    void parseWhenNullThenThrowsNullPointerException() {
        assertThatThrownBy(() -> Cidr.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8,      10.0.0.0,        true",
            "10.0.0.0/8,      10.255.255.255,  true",
            "10.0.0.0/8,      9.255.255.255,   false",
            "10.0.0.0/8,      11.0.0.0,        false",
            "192.168.1.0/25,  192.168.1.127,   true",
            "192.168.1.0/25,  192.168.1.128,   false",
            "172.16.0.0/12,   172.31.255.255,  true",
            "172.16.0.0/12,   172.32.0.0,      false",
            "172.16.0.0/12,   172.15.255.255,  false",
            "0.0.0.0/0,       0.0.0.0,         true",
            "0.0.0.0/0,       255.255.255.255, true",
            "128.0.0.0/1,     127.255.255.255, false",
            "128.0.0.0/1,     128.0.0.0,       true",
            "192.0.2.1,       192.0.2.1,       true",
            "192.0.2.1,       192.0.2.0,       false",
            "192.0.2.1,       192.0.2.2,       false",
            "::/0,            ::,              true",
            "::/0,            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
            "2001:db8::/32,   2001:db8::,      true",
            "2001:db8::/32,   2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,  true",
            "2001:db8::/32,   2001:db9::,      false",
            "2001:db8::/32,   2001:db7:ffff:ffff:ffff:ffff:ffff:ffff,  false",
            "fe80::/10,       fe80::1,         true",
            "fe80::/10,       febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
            "fe80::/10,       fec0::,          false",
            "fe80::/10,       fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff, false",
            "2001:db8::/127,  2001:db8::1,     true",
            "2001:db8::/127,  2001:db8::2,     false",
            "::1,             ::1,             true",
            "::1,             ::,              false",
            "::1,             ::2,             false",
    })
    void containsWhenAtTheEdgesOfTheRangeThenInsideOnlyWithin(String cidr, String address, boolean expected) {
        assertThat(Cidr.parse(cidr).contains(IpAddresses.parse(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0/0, ::",
            "0.0.0.0/0, ::1",
            "0.0.0.0/0, 2001:db8::1",
            "1.2.3.4,   ::1.2.3.4",
            "::/0,      0.0.0.0",
            "::/0,      10.0.0.1",
            "::/0,      ::ffff:10.0.0.1",
            "::/96,     ::ffff:10.0.0.1",
    })
    void containsWhenOtherFamilyThenFalse(String cidr, String address) {
        assertThat(Cidr.parse(cidr).contains(IpAddresses.parse(address))).isFalse();
    }

    @Test
    void containsWhenIpv4MappedThenMatchedAsIpv4() {
        Cidr private10 = Cidr.parse("10.0.0.0/8");
        byte[] mappedInside = HexFormat.of().parseHex("00000000000000000000ffff0a010203");
        byte[] mappedOutside = HexFormat.of().parseHex("00000000000000000000ffff0b010203");

        assertThat(private10.contains(IpAddresses.parse("::ffff:10.1.2.3"))).isTrue();
        assertThat(private10.contains(IpAddresses.parse("::ffff:11.1.2.3"))).isFalse();
        assertThat(private10.contains(mappedInside)).as("raw 16-byte mapped form").isTrue();
        assertThat(private10.contains(mappedOutside)).as("raw 16-byte mapped form").isFalse();
        assertThat(Cidr.parse("::ffff:10.0.0.0/104").contains(IpAddresses.parse("10.1.2.3"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(mappedInside)).as("an IPv4 address, so in no IPv6 range").isFalse();
        assertThat(Cidr.parse("::ffff:0:0/96").contains(mappedInside)).as("::ffff:0:0/96 is 0.0.0.0/0").isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 5, 15, 17, 32})
    void containsWhenNeitherFourNorSixteenBytesThenFalse(int length) {
        assertThat(Cidr.parse("0.0.0.0/0").contains(new byte[length])).isFalse();
        assertThat(Cidr.parse("::/0").contains(new byte[length])).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "2001:DB8:0::/32,     2001:db8::/32",
            "192.0.2.1,           192.0.2.1/32",
            "::ffff:10.0.0.0/104, 10.0.0.0/8",
            "0:0:0:0:0:0:0:1,     ::1/128",
    })
    void equalsWhenSameRangeWrittenDifferentlyThenEqualWithSameHashCode(String one, String other) {
        assertThat(Cidr.parse(one)).isEqualTo(Cidr.parse(other)).hasSameHashCodeAs(Cidr.parse(other));
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8,  10.0.0.0/16",
            "10.0.0.0/8,  11.0.0.0/8",
            "0.0.0.0/0,   ::/0",
            "::/96,       0.0.0.0/0",
            "1.2.3.4,     ::1.2.3.4",
    })
    void equalsWhenDifferentRangeThenNotEqual(String one, String other) {
        assertThat(Cidr.parse(one)).isNotEqualTo(Cidr.parse(other));
    }
}
