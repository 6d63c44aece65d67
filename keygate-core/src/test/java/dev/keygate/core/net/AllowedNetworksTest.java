package dev.keygate.core.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedNetworksTest {

    private static final AllowedNetworks OFFICE =
            AllowedNetworks.parseText("10.0.0.0/8 2001:db8::/32 192.0.2.7");

    private static List<Cidr> cidrs(String... texts) {
        return Arrays.stream(texts).map(Cidr::parse).toList();
    }

    /** {@code count} distinct host ranges, 10.0.0.0/32 upwards. */
    private static List<Cidr> hosts(int count) {
        return IntStream.range(0, count).mapToObj(i -> Cidr.parse("10.0." + i / 256 + "." + i % 256)).toList();
    }

    @Test
    void ofWhenDuplicatesThenFoldedKeepingFirstOrder() {
        AllowedNetworks networks = AllowedNetworks.of(
                cidrs("192.168.0.0/16", "10.0.0.0/8", "::1", "192.168.0.0/16", "0:0:0:0:0:0:0:1/128"));

        assertThat(networks.cidrs()).containsExactlyElementsOf(cidrs("192.168.0.0/16", "10.0.0.0/8", "::1"));
        assertThat(networks.toText()).isEqualTo("192.168.0.0/16 10.0.0.0/8 ::1/128");
    }

    @Test
    void ofWhenEmptyThenThrows() {
        assertThatThrownBy(() -> AllowedNetworks.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at least one network is required");
    }

    @Test
    void ofWhenMaxDistinctThenAccepted() {
        assertThat(AllowedNetworks.of(hosts(AllowedNetworks.MAX)).cidrs()).hasSize(100);
    }

    @Test
    void ofWhenMoreThanMaxDistinctThenThrows() {
        assertThatThrownBy(() -> AllowedNetworks.of(hosts(AllowedNetworks.MAX + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at most 100 networks are allowed, got 101");
    }

    @Test
    void ofWhenMoreThanMaxOnlyWithDuplicatesThenAccepted() {
        List<Cidr> withDuplicates = new ArrayList<>(hosts(AllowedNetworks.MAX));
        withDuplicates.addAll(hosts(50));

        assertThat(AllowedNetworks.of(withDuplicates).cidrs()).hasSize(100);
    }

    @Test
    void ofWhenNullListOrElementThenThrowsNullPointerException() {
        assertThatThrownBy(() -> AllowedNetworks.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AllowedNetworks.of(Arrays.asList(Cidr.parse("::1"), null)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void ofWhenSourceListChangesLaterThenUnaffected() {
        List<Cidr> source = new ArrayList<>(cidrs("10.0.0.0/8"));
        AllowedNetworks networks = AllowedNetworks.of(source);

        source.add(Cidr.parse("::/0"));

        assertThat(networks.cidrs()).containsExactlyElementsOf(cidrs("10.0.0.0/8"));
        assertThatThrownBy(() -> networks.cidrs().add(Cidr.parse("::/0")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.255.255.255", "::ffff:10.1.2.3", "2001:db8::1",
            "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "192.0.2.7", "::ffff:192.0.2.7"})
    void allowsWhenInSomeRangeThenTrue(String address) {
        assertThat(OFFICE.allows(IpAddresses.parse(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.0.0.0", "9.255.255.255", "192.0.2.6", "192.0.2.8", "2001:db9::", "::1", "::",
            "0.0.0.0", "::10.0.0.1"})
    void allowsWhenInNoRangeThenFalse(String address) {
        assertThat(OFFICE.allows(IpAddresses.parse(address))).isFalse();
    }

    @Test
    void toTextWhenParsedBackThenEqual() {
        AllowedNetworks again = AllowedNetworks.parseText(OFFICE.toText());

        assertThat(OFFICE.toText()).isEqualTo("10.0.0.0/8 2001:db8::/32 192.0.2.7/32");
        assertThat(again).isEqualTo(OFFICE).hasSameHashCodeAs(OFFICE).hasToString(OFFICE.toText());
    }

    @Test
    void parseTextWhenLooselySpacedAndNonCanonicalThenCanonical() {
        AllowedNetworks networks = AllowedNetworks.parseText("  10.0.0.0/8 \t 2001:DB8::/32\n192.0.2.7 10.0.0.0/8 ");

        assertThat(networks).isEqualTo(OFFICE);
        assertThat(networks.toText()).isEqualTo("10.0.0.0/8 2001:db8::/32 192.0.2.7/32");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/8 10.0.0.5/8    | '10.0.0.5/8' has host bits set; did you mean 10.0.0.0/8?",
            "10.0.0.0/8,192.0.2.0/24  | '10.0.0.0/8,192.0.2.0/24' is not an IP address or CIDR range"
                    + " (e.g. 192.0.2.1, 10.0.0.0/8, 2001:db8::/32)",
            "example.com              | 'example.com' is not an IP address or CIDR range"
                    + " (e.g. 192.0.2.1, 10.0.0.0/8, 2001:db8::/32)",
            "::/129                   | '::/129' has prefix 129 out of range; an IPv6 prefix is 0 to 128",
    })
    void parseTextWhenBadRangeThenThrowsItsMessage(String text, String message) {
        assertThatThrownBy(() -> AllowedNetworks.parseText(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " \t\n"})
    void parseTextWhenBlankThenThrows(String text) {
        assertThatThrownBy(() -> AllowedNetworks.parseText(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at least one network is required");
    }

    @Test
    void parseTextWhenMoreThanMaxThenThrows() {
        String text = String.join(" ", hosts(AllowedNetworks.MAX + 1).stream().map(Cidr::toString).toList());

        assertThatThrownBy(() -> AllowedNetworks.parseText(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at most 100 networks are allowed, got 101");
    }

    @Test
    void equalsWhenSameRangesInOtherOrderThenNotEqual() {
        assertThat(AllowedNetworks.parseText("10.0.0.0/8 ::1"))
                .isEqualTo(AllowedNetworks.parseText("10.0.0.0/8 ::1"))
                .isNotEqualTo(AllowedNetworks.parseText("::1 10.0.0.0/8"));
    }
}
