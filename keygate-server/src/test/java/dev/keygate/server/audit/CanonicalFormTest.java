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

    @Test
    void fieldWhenNumberThenItsDecimalDigitsAsTheStringWouldBe() {
        for (long n : new long[] {0, 7, 9, 10, 99, 100, 1_764_700_000_123L, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            assertThat(new CanonicalForm().field(n).bytes())
                    .as("%d", n)
                    .isEqualTo(new CanonicalForm().field(Long.toString(n)).bytes());
        }
    }

    @Test
    void fieldWhenNonAsciiAfterAsciiThenUtf8AndTheLengthCountsBytes() {
        byte[] bytes = new CanonicalForm().field("ab\u00e9c\uD83D\uDE00").bytes();

        byte[] utf8 = "ab\u00e9c\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        assertThat(Arrays.copyOfRange(bytes, 0, 4)).containsExactly(0, 0, 0, utf8.length);
        assertThat(Arrays.copyOfRange(bytes, 4, bytes.length)).isEqualTo(utf8);
    }

    @Test
    void resetWhenReusedThenOnlyTheNewFieldsRemain() {
        CanonicalForm form = new CanonicalForm().field("x".repeat(600)).field(123_456L);

        byte[] bytes = form.reset().field("ab").field(5).bytes();

        assertThat(bytes).isEqualTo(new CanonicalForm().field("ab").field(5).bytes());
    }
}
