package dev.keygate.core.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class TokenFormatTest {

    private static final String RANDOM = "0123456789ABCDEFGHIJabcdefghij";
    private static final String LIVE_TOKEN = ReferenceTokens.forge("kg_", "live", RANDOM);

    private final SecureRandom random = ReferenceTokens.seeded(42);

    @ParameterizedTest
    @ValueSource(strings = {"live", "test", "staging", "a", "0", "eu1", "abcdefghij012345"})
    void mintWhenEnvironmentValidThenPrefixEnvironmentAndThirtySixBase62Characters(String environment) {
        String token = TokenFormat.mint(environment, random);

        assertThat(token).matches("kg_" + environment + "_[0-9A-Za-z]{36}");
        assertThat(token).hasSize(3 + environment.length() + 1 + 36);
        assertThat(TokenFormat.isWellFormed(token)).isTrue();
        assertThat(TokenFormat.environmentOf(token)).isEqualTo(environment);
    }

    @Test
    void mintWhenAnyTokenThenChecksumIsCrc32OfEverythingBeforeIt() {
        String token = TokenFormat.mint("live", random);
        String body = token.substring(0, token.length() - TokenFormat.CHECKSUM_LENGTH);

        assertThat(token).isEqualTo(body + ReferenceTokens.checksum(body));
    }

    @Test
    void mintWhenSameSeedThenSameTokenBecauseOnlyTheGivenRandomIsUsed() {
        assertThat(TokenFormat.mint("live", ReferenceTokens.seeded(7)))
                .isEqualTo(TokenFormat.mint("live", ReferenceTokens.seeded(7)))
                .isNotEqualTo(TokenFormat.mint("live", ReferenceTokens.seeded(8)));
    }

    @Test
    void mintWhenManyTokensThenAllDistinctAndEveryBase62CharacterUsed() {
        Set<String> tokens = new HashSet<>();
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String token = TokenFormat.mint("live", random);
            tokens.add(token);
            for (char c : token.substring(8, 8 + TokenFormat.RANDOM_LENGTH).toCharArray()) {
                used.add(c);
            }
        }

        assertThat(tokens).hasSize(1_000);
        assertThat(used).hasSize(62);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"LIVE", "Live", "li_ve", "li-ve", "li ve", "abcdefghij0123456", "lïve"})
    void mintWhenEnvironmentInvalidThenThrows(String environment) {
        assertThatThrownBy(() -> TokenFormat.mint(environment, random))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid environment");
    }

    @Test
    void constantsWhenComputedThenSecretHasAtLeast160BitsAndLengthsAddUp() {
        double randomBits = TokenFormat.RANDOM_LENGTH * Math.log(62) / Math.log(2);

        assertThat(randomBits).isGreaterThanOrEqualTo(160.0).isCloseTo(178.6, offset(0.1));
        assertThat(TokenFormat.SECRET_LENGTH).isEqualTo(36);
        assertThat(TokenFormat.MAX_LENGTH).isEqualTo("kg_".length() + 16 + "_".length() + 36);
        // Six base62 digits hold every CRC32 value: 62^6 > 2^32.
        assertThat(Math.pow(62, TokenFormat.CHECKSUM_LENGTH)).isGreaterThan(Math.pow(2, 32));
    }

    @Test
    void isWellFormedWhenExampleFromTokenDocsThenTrue() throws IOException {
        // docs/tokens.md: "The example has a correct checksum but was never issued." Read from the page itself,
        // so that the page stays right and no token-shaped literal sits in the code.
        String example = Files.readAllLines(Path.of("..", "docs", "tokens.md")).stream()
                .filter(line -> line.startsWith("kg_live_"))
                .findFirst().orElseThrow();

        assertThat(TokenFormat.isWellFormed(example)).isTrue();
        assertThat(TokenFormat.environmentOf(example)).isEqualTo("live");
        assertThat(example).hasSize(44);
    }

    @Test
    void lengthWhenShortestAndLongestEnvironmentThenFortyOneToFiftySixAsDocumented() {
        assertThat(TokenFormat.mint("a", random)).hasSize(41);
        assertThat(TokenFormat.mint("live", random)).hasSize(44);
        assertThat(TokenFormat.mint("abcdefghij012345", random)).hasSize(56).hasSize(TokenFormat.MAX_LENGTH);
    }

    @Test
    void isWellFormedWhenForgedIndependentlyThenTrue() {
        assertThat(TokenFormat.isWellFormed(LIVE_TOKEN)).isTrue();
        assertThat(TokenFormat.isWellFormed(new StringBuilder(LIVE_TOKEN))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kh_", "KG_", "kg-", "gk_", "kg", "xkg_", "_"})
    void isWellFormedWhenWrongPrefixEvenWithCorrectChecksumThenFalse(String prefix) {
        assertThat(TokenFormat.isWellFormed(ReferenceTokens.forge(prefix, "live", RANDOM))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"LIVE", "Live", "liVe", "li-ve", "li.ve", "li_ve", "abcdefghij0123456"})
    void isWellFormedWhenEnvironmentInvalidEvenWithCorrectChecksumThenFalse(String environment) {
        assertThat(TokenFormat.isWellFormed(ReferenceTokens.forge("kg_", environment, RANDOM))).isFalse();
    }

    @Test
    void isWellFormedWhenEnvironmentHasMaximumLengthThenTrue() {
        String token = ReferenceTokens.forge("kg_", "abcdefghij012345", RANDOM);

        assertThat(token).hasSize(TokenFormat.MAX_LENGTH);
        assertThat(TokenFormat.isWellFormed(token)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0123456789ABCDEFGHIJabcdefghi-",
            "0123456789ABCDEFGHIJabcdefghi_",
            "0123456789ABCDEFGHIJabcdefghi.",
            "0123456789ABCDEFGHIJabcdefghi ",
            "0123456789ABCDEFGHIJabcdefghi+",
            "0123456789ABCDEFGHIJabcdefghi/",
            "0123456789ABCDEFGHIJabcdefghié",
    })
    void isWellFormedWhenSecretHasNonBase62CharacterEvenWithCorrectChecksumThenFalse(String random) {
        assertThat(TokenFormat.isWellFormed(ReferenceTokens.forge("kg_", "live", random))).isFalse();
    }

    @Test
    void isWellFormedWhenChecksumDigitsExceedCrcRangeThenFalse() {
        String body = LIVE_TOKEN.substring(0, LIVE_TOKEN.length() - 6);

        assertThat(TokenFormat.isWellFormed(body + "zzzzzz")).isFalse();
        assertThat(TokenFormat.isWellFormed(body + "000000")).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "kg_",
            "kg_live",
            "kg_live_",
            "kg__0123456789ABCDEFGHIJabcdefghij123456",
            "kg_live0123456789ABCDEFGHIJabcdefghij123456",
            "0123456789ABCDEFGHIJabcdefghij123456",
            "live_0123456789ABCDEFGHIJabcdefghij123456",
            "kg_live_" + "0123456789ABCDEFGHIJabcdefghij",
    })
    void isWellFormedWhenPartsMissingThenFalse(String token) {
        assertThat(TokenFormat.isWellFormed(token)).isFalse();
    }

    @Test
    void isWellFormedWhenSecretOneCharacterShortOrLongThenFalse() {
        assertThat(TokenFormat.isWellFormed(LIVE_TOKEN.substring(0, LIVE_TOKEN.length() - 1))).isFalse();
        assertThat(TokenFormat.isWellFormed(LIVE_TOKEN + "a")).isFalse();
        assertThat(TokenFormat.isWellFormed(LIVE_TOKEN.substring(0, 8) + LIVE_TOKEN.substring(9))).isFalse();
    }

    @Test
    void isWellFormedWhenLongerThanMaxLengthThenFalse() {
        String longest = ReferenceTokens.forge("kg_", "abcdefghij012345", RANDOM);

        assertThat(TokenFormat.isWellFormed("x" + longest)).isFalse();
        assertThat(TokenFormat.isWellFormed(longest + "x")).isFalse();
        assertThat(TokenFormat.isWellFormed(LIVE_TOKEN + "x".repeat(1_000))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\n", "\t", "\u0000"})
    void isWellFormedWhenSurroundedByWhitespaceThenFalse(String pad) {
        assertThat(TokenFormat.isWellFormed(pad + LIVE_TOKEN)).isFalse();
        assertThat(TokenFormat.isWellFormed(LIVE_TOKEN + pad)).isFalse();
    }

    @Test
    void isWellFormedWhenEnvironmentSwappedForAnotherThenFalse() {
        String live = TokenFormat.mint("live", random);
        String secret = live.substring("kg_live_".length());

        assertThat(TokenFormat.isWellFormed("kg_test_" + secret)).isFalse();
        assertThat(TokenFormat.isWellFormed("kg_liv_" + secret)).isFalse();
        assertThat(TokenFormat.isWellFormed("kg_lives_" + secret)).isFalse();
        assertThat(TokenFormat.isWellFormed("kg_staging_" + secret)).isFalse();
    }

    @Test
    void environmentOfWhenWellFormedThenEnvironment() {
        assertThat(TokenFormat.environmentOf(LIVE_TOKEN)).isEqualTo("live");
        assertThat(TokenFormat.environmentOf(ReferenceTokens.forge("kg_", "staging2", RANDOM))).isEqualTo("staging2");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"kg_live_", "kg_LIVE_0123456789ABCDEFGHIJabcdefghij123456"})
    void environmentOfWhenNotWellFormedThenThrows(String token) {
        assertThatThrownBy(() -> TokenFormat.environmentOf(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a well-formed Keygate token");
    }

    @Test
    void environmentOfWhenChecksumWrongThenThrows() {
        String broken = LIVE_TOKEN.substring(0, LIVE_TOKEN.length() - 1)
                + (LIVE_TOKEN.endsWith("a") ? "b" : "a");

        assertThatThrownBy(() -> TokenFormat.environmentOf(broken)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashWhenKnownInputThenSha256TestVector() {
        // FIPS 180-2, appendix B.1.
        assertThat(TokenFormat.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void hashWhenTokenThenSixtyFourLowerCaseHexDigitsAndStable() {
        String token = TokenFormat.mint("live", random);

        String hash = TokenFormat.hash(token);

        assertThat(hash).matches("[0-9a-f]{64}");
        assertThat(TokenFormat.hash(token)).isEqualTo(hash);
        assertThat(TokenFormat.hash(new String(token.toCharArray()))).isEqualTo(hash);
        assertThat(hash).doesNotContain(token.substring(8));
    }

    @Test
    void hashWhenDifferentTokensThenDifferentHashes() {
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            hashes.add(TokenFormat.hash(TokenFormat.mint(i % 2 == 0 ? "live" : "test", random)));
        }
        String token = TokenFormat.mint("live", random);
        String neighbour = token.substring(0, token.length() - 1) + (token.endsWith("a") ? "b" : "a");

        assertThat(hashes).hasSize(1_000);
        assertThat(TokenFormat.hash(token)).isNotEqualTo(TokenFormat.hash(neighbour));
    }

    @Test
    void newTokenIdWhenCalledThenTokPrefixAndTwentyBase62Characters() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = TokenFormat.newTokenId(random);
            assertThat(id).matches("tok_[0-9A-Za-z]{20}");
            ids.add(id);
        }

        assertThat(ids).hasSize(1_000);
    }

    @Test
    void newTokenIdWhenCalledThenNotAWellFormedToken() {
        assertThat(TokenFormat.isWellFormed(TokenFormat.newTokenId(random))).isFalse();
    }
}
