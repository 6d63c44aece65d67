package dev.keygate.server.audit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte layout docs/audit.md specifies, which auditors re-implement: fixed by known answers. */
class CanonicalFormTest {

    @Test
    void bytesWhenFieldsAppendedThenEachIsItsBigEndianLengthAndUtf8OrMinusOneForNull() {
        byte[] bytes = new CanonicalForm().field("ab").field((String) null).field(12).field("é").bytes();

        assertThat(bytes).containsExactly(
                0, 0, 0, 2, 'a', 'b',
                -1, -1, -1, -1,
                0, 0, 0, 2, '1', '2',
                0, 0, 0, 2, (byte) 0xC3, (byte) 0xA9);
    }

    @Test
    void bytesWhenFieldsOutgrowTheFirstBufferThenNothingIsLost() {
        String big = "x".repeat(1000);

        byte[] bytes = new CanonicalForm().field("a").field(big).field("z").bytes();

        assertThat(bytes).hasSize(4 + 1 + 4 + 1000 + 4 + 1);
        assertThat(Arrays.copyOfRange(bytes, 5, 9)).containsExactly(0, 0, 0x03, (byte) 0xE8);
        assertThat(new String(bytes, 9, 1000, StandardCharsets.UTF_8)).isEqualTo(big);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 'z');
    }
}
