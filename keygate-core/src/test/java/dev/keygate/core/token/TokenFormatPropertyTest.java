package dev.keygate.core.token;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Minted tokens are well formed, and the checksum catches every single-character typo. CRC32 detects every
 * error burst of up to 32 bits, so a change to one character, or a swap of two adjacent ones, is always
 * caught, not merely with high probability: these properties may assert it for every position.
 */
class TokenFormatPropertyTest {

    @Provide
    Arbitrary<String> environments() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1)
                .ofMaxLength(Environments.MAX_LENGTH);
    }

    @Property
    void isWellFormedWhenMintedThenTrue(@ForAll("environments") String environment, @ForAll long seed) {
        String token = TokenFormat.mint(environment, ReferenceTokens.seeded(seed));

        assertThat(token).matches("kg_" + environment + "_[0-9A-Za-z]{36}");
        assertThat(TokenFormat.isWellFormed(token)).isTrue();
        assertThat(TokenFormat.environmentOf(token)).isEqualTo(environment);
    }

    @Property
    void mintWhenAnyThenChecksumAgreesWithIndependentImplementation(@ForAll("environments") String environment,
                                                                   @ForAll long seed) {
        String token = TokenFormat.mint(environment, ReferenceTokens.seeded(seed));
        String random = token.substring(token.length() - TokenFormat.SECRET_LENGTH,
                token.length() - TokenFormat.CHECKSUM_LENGTH);

        assertThat(token).isEqualTo(ReferenceTokens.forge("kg_", environment, random));
    }

    @Property(tries = 200)
    void isWellFormedWhenAnyOneCharacterReplacedByAnotherBase62CharacterThenFalse(
            @ForAll("environments") String environment, @ForAll long seed) {
        String token = TokenFormat.mint(environment, ReferenceTokens.seeded(seed));
        char[] chars = token.toCharArray();

        for (int i = 0; i < chars.length; i++) {
            char original = chars[i];
            for (char c : ReferenceTokens.BASE62.toCharArray()) {
                if (c == original) {
                    continue;
                }
                chars[i] = c;
                assertThat(TokenFormat.isWellFormed(new String(chars)))
                        .as("%s with position %d changed to '%s'", token, i, c)
                        .isFalse();
            }
            chars[i] = original;
        }
    }

    @Property
    void isWellFormedWhenTwoAdjacentDifferentCharactersSwappedThenFalse(@ForAll("environments") String environment,
                                                                        @ForAll long seed) {
        String token = TokenFormat.mint(environment, ReferenceTokens.seeded(seed));
        char[] chars = token.toCharArray();

        for (int i = 0; i + 1 < chars.length; i++) {
            if (chars[i] == chars[i + 1]) {
                continue;
            }
            char[] swapped = chars.clone();
            swapped[i] = chars[i + 1];
            swapped[i + 1] = chars[i];
            assertThat(TokenFormat.isWellFormed(new String(swapped)))
                    .as("%s with positions %d and %d swapped", token, i, i + 1)
                    .isFalse();
        }
    }

    @Property
    void isWellFormedWhenEnvironmentReplacedByAnotherThenFalse(@ForAll("environments") String minted,
                                                               @ForAll("environments") String claimed,
                                                               @ForAll long seed) {
        Assume.that(!minted.equals(claimed));
        String token = TokenFormat.mint(minted, ReferenceTokens.seeded(seed));
        String secret = token.substring(token.length() - TokenFormat.SECRET_LENGTH);

        // A token for one environment never carries the checksum of another (a false positive is ~2^-32).
        assertThat(TokenFormat.isWellFormed("kg_" + claimed + "_" + secret)).isFalse();
    }

    @Property
    void hashWhenTwoDifferentMintedTokensThenDifferent(@ForAll long seed) {
        SecureRandom random = ReferenceTokens.seeded(seed);
        String a = TokenFormat.mint("live", random);
        String b = TokenFormat.mint("live", random);

        assertThat(a).isNotEqualTo(b);
        assertThat(TokenFormat.hash(a)).isNotEqualTo(TokenFormat.hash(b)).matches("[0-9a-f]{64}");
    }

    @Property(tries = 500)
    void hashIfWellFormedWhenMintedOrAlteredThenAgreesWithIsWellFormedAndHash(
            @ForAll("environments") String environment, @ForAll long seed, @ForAll char replacement,
            @ForAll int position) {
        String token = TokenFormat.mint(environment, ReferenceTokens.seeded(seed));
        char[] chars = token.toCharArray();
        chars[Math.floorMod(position, chars.length)] = replacement;
        String altered = new String(chars);

        for (String candidate : new String[] {token, altered}) {
            String hash = TokenFormat.hashIfWellFormed(candidate);
            if (TokenFormat.isWellFormed(candidate)) {
                assertThat(hash).isEqualTo(TokenFormat.hash(candidate));
            } else {
                assertThat(hash).isNull();
            }
        }
        assertThat(TokenFormat.hashIfWellFormed(token)).isEqualTo(TokenFormat.hash(token));
    }
}
