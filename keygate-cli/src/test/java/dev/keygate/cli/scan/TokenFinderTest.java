package dev.keygate.cli.scan;

import dev.keygate.core.token.TokenFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TokenFinder}: tokens by shape and checksum in bytes, with their line and column. */
class TokenFinderTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void findWhenPrefixRepeatsBeforeATokenThenTheTokenIsFoundWhereItStarts() {
        String token = TokenFormat.mint("live", RANDOM);

        assertThat(find("kg_kg_" + token)).containsExactly("1:7");
    }

    @Test
    void findWhenEnvironmentHas16CharactersThenFoundAndNeverBeyond() {
        String longest = TokenFormat.mint("a".repeat(16), RANDOM);

        assertThat(find("x" + longest + "\n")).containsExactly("1:2");
        assertThat(find("kg_" + "a".repeat(17) + longest.substring(19))).isEmpty();
    }

    @Test
    void findWhenTokenIsGluedToMoreTextThenItIsStillFound() {
        String token = TokenFormat.mint("live", RANDOM);

        assertThat(find("pkg_" + token.substring(3) + "abc")).containsExactly("1:2");
    }

    @Test
    void findWhenTokenIsCutShortOrCasedDifferentlyThenNothingAndNoFailure() {
        String token = TokenFormat.mint("live", RANDOM);

        assertThat(find(token.substring(0, token.length() - 1))).isEmpty();
        assertThat(find("KG_" + token.substring(3))).isEmpty();
        assertThat(find("kg_")).isEmpty();
        assertThat(find("kg_live")).isEmpty();
        assertThat(find("kg_live_")).isEmpty();
    }

    @Test
    void findWhenLinesEndInCrlfOrHoldMultiByteCharactersThenLineAndColumnAreInCharacters() {
        String token = TokenFormat.mint("test", RANDOM);

        assertThat(find("a\r\n\u00e9\u00e9\u20ac " + token + " " + token + "\r\n" + token))
                .containsExactly("2:5", "2:" + (5 + token.length() + 1), "3:1");
    }

    @Test
    void isBinaryWhenNulInTheFirst8000BytesThenTrueElseFalse() {
        byte[] early = new byte[10_000];
        early[7_999] = 0;
        java.util.Arrays.fill(early, 0, 7_999, (byte) 'a');
        byte[] late = new byte[10_000];
        java.util.Arrays.fill(late, (byte) 'a');
        late[8_000] = 0;

        assertThat(TokenFinder.isBinary(early, early.length)).isTrue();
        assertThat(TokenFinder.isBinary(late, late.length)).isFalse();
    }

    private static List<String> find(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return TokenFinder.find(bytes, bytes.length).stream().map(m -> m.line() + ":" + m.column()).toList();
    }
}
