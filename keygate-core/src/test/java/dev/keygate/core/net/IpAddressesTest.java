package dev.keygate.core.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0,         00000000",
            "255.255.255.255, ffffffff",
            "192.0.2.1,       c0000201",
            "10.0.0.0,        0a000000",
            "127.0.0.1,       7f000001",
            "100.20.3.199,    641403c7",
    })
    void parseWhenIpv4ThenFourBytes(String text, String hex) {
        assertThat(IpAddresses.parse(text)).isEqualTo(HexFormat.of().parseHex(hex));
    }

    @ParameterizedTest
    @CsvSource({
            "::,                                  00000000000000000000000000000000",
            "::1,                                 00000000000000000000000000000001",
            "1::,                                 00010000000000000000000000000000",
            "2001:db8::,                          20010db8000000000000000000000000",
            "2001:DB8::1,                         20010db8000000000000000000000001",
            "2001:0db8:0000:0000:0000:0000:0000:0001, 20010db8000000000000000000000001",
            "fe80::,                              fe800000000000000000000000000000",
            "fe80::1:2,                           fe800000000000000000000000010002",
            "1:2:3:4:5:6:7:8,                     00010002000300040005000600070008",
            "1:2:3:4:5:6:7::,                     00010002000300040005000600070000",
            "::2:3:4:5:6:7:8,                     00000002000300040005000600070008",
            "1:2:3::6:7:8,                        00010002000300000000000600070008",
            "64:ff9b::192.0.2.1,                  0064ff9b0000000000000000c0000201",
            "::1.2.3.4,                           00000000000000000000000001020304",
            "1:2:3:4:5:6:1.2.3.4,                 00010002000300040005000601020304",
            "::fffe:1.2.3.4,                      00000000000000000000fffe01020304",
            "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255, ffffffffffffffffffffffffffffffff",
    })
    void parseWhenIpv6ThenSixteenBytes(String text, String hex) {
        assertThat(IpAddresses.parse(text)).isEqualTo(HexFormat.of().parseHex(hex));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:1.2.3.4", "::FFFF:1.2.3.4", "::ffff:102:304", "0:0:0:0:0:ffff:1.2.3.4",
            "0000:0000:0000:0000:0000:ffff:0102:0304"})
    void parseWhenIpv4MappedThenTheIpv4Address(String text) {
        assertThat(IpAddresses.parse(text)).isEqualTo(new byte[] {1, 2, 3, 4});
    }

    @ParameterizedTest
    @EmptySource
    @ValueSource(strings = {
            // IPv4: out of range, short and legacy forms, leading zeros (octal elsewhere), stray characters
            "10.0.0.300", "256.0.0.0", "1.2.3", "1.2", "1", "1.2.3.4.5", "2130706433", "0x7f.0.0.1", "0x7f000001",
            "010.0.0.1", "1.2.3.04", "00.0.0.0", "1.2.3.00", "1.2.3.4.", ".1.2.3.4", "1..3.4", "+1.2.3.4",
            "-1.2.3.4", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/32", "1.2.3.4:80", "1 .2.3.4", "1.2.3.4a", "1234.1.2.3",
            // IPv6: bad structure, too many or too few groups, bad IPv4 tail, zone ids, brackets, ports
            "dead:beef", ":", ":::", ":1", "1:", "1::2::3", "1:::2", "::1:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8", "12345::", "g::", "::g", "::ffff:010.0.0.1",
            "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "::1.2.3.4:1", "1:2:3:4:5:6:7:1.2.3.4", "::256.0.0.1", "a.b:c",
            ".:1", "::.1.2.3", "fe80::1%eth0", "fe80::1%1", "[::1]", "[::1]:80", ":: 1", "::1 ", "::-1",
            "0000:0000:0000:0000:0000:0000:0000:00001",
            // host names: never resolved, always refused
            "localhost", "example.com", "dead.beef", "cafe", "face.b00c", "ip6-localhost", "1.2.3.4.nip.io",
            "xn--bcher-kva.example",
    })
    void parseWhenNotALiteralThenThrowsNamingTheValue(String text) {
        assertThatThrownBy(() -> IpAddresses.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'%s' is not an IPv4 or IPv6 address", text);
    }

    @Test
    void parseWhenLongestPossibleLiteralThenAccepted() {
        String longest = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";

        assertThat(longest).hasSize(IpAddresses.MAX_LENGTH);
        assertThat(IpAddresses.parse(longest)).hasSize(16);
    }

    @Test
    void parseWhenHugeInputThenMessageIsBounded() {
        String text = "1".repeat(100_000);

        assertThatThrownBy(() -> IpAddresses.parse(text))
                .hasMessage("'" + "1".repeat(64) + "...' is not an IPv4 or IPv6 address");
    }

    @Test
    void parseWhenControlOrNonAsciiCharactersThenMessageShowsQuestionMarks() {
        assertThatThrownBy(() -> IpAddresses.parse("1.2.3.4\nforged log line"))
                .hasMessage("'1.2.3.4?forged log line' is not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> IpAddresses.parse("１.2.3.4"))
                .hasMessage("'?.2.3.4' is not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> IpAddresses.parse("::١"))
                .hasMessage("'::?' is not an IPv4 or IPv6 address");
    }

    @Test
    void parseWhenNullThenThrowsNullPointerException() {
        assertThatThrownBy(() -> IpAddresses.parse(null)).isInstanceOf(NullPointerException.class);
    }

    /**
     * The package parses literals itself so that nothing can reach a resolver; this keeps anyone from
     * "simplifying" it with {@code InetAddress.getByName}, which looks up anything that is not a literal.
     */
    @Test
    void packageWhenCompiledThenNeverReferencesJavaNet() throws IOException, URISyntaxException {
        // Main classes only: this is target/classes, the tests (which may use java.net) are elsewhere.
        Path dir = Path.of(IpAddresses.class.getResource("IpAddresses.class").toURI()).getParent();
        List<Path> classes;
        try (Stream<Path> files = Files.list(dir)) {
            classes = files.filter(f -> f.toString().endsWith(".class")).toList();
        }

        assertThat(classes).extracting(f -> f.getFileName().toString())
                .contains("IpAddresses.class", "Cidr.class", "AllowedNetworks.class")
                .noneMatch(name -> name.endsWith("Test.class"));
        for (Path file : classes) {
            try (InputStream in = Files.newInputStream(file)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                        .as(file.getFileName().toString()).doesNotContain("java/net/");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
            "00000000000000000000000000000000, ::",
            "00000000000000000000000000000001, ::1",
            "00010000000000000000000000000000, 1::",
            "20010db8000000000000000000000000, 2001:db8::",
            "20010db8000000000000000000000001, 2001:db8::1",
            "fe800000000000000000000000000000, fe80::",
            "20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
            "20010db8000000000001000000000001, 2001:db8::1:0:0:1",
            "20010000000000010000000000000000, 2001:0:0:1::",
            "00010000000100000000000000010000, 1:0:1::1:0",
            "0001000200030004000500060007000a, 1:2:3:4:5:6:7:a",
            "ABCD0DB800000000000000000000FFFF, abcd:db8::ffff",
            "00000000000000000000ffff01020304, ::ffff:1.2.3.4",
            "00000000000000000000000001020304, ::102:304",
    })
    void formatWhenIpv6ThenRfc5952Text(String hex, String expected) {
        assertThat(IpAddresses.format(HexFormat.of().parseHex(hex))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "00000000, 0.0.0.0",
            "ffffffff, 255.255.255.255",
            "c0000201, 192.0.2.1",
    })
    void formatWhenIpv4ThenDottedQuad(String hex, String expected) {
        assertThat(IpAddresses.format(HexFormat.of().parseHex(hex))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 15, 17})
    void formatWhenNotFourOrSixteenBytesThenThrows(int length) {
        assertThatThrownBy(() -> IpAddresses.format(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an IP address is 4 or 16 bytes, got " + length);
    }
}
