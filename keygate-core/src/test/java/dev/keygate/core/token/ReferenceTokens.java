package dev.keygate.core.token;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * An independent writing of the token format from the Javadoc of {@link TokenFormat}, so that tests can build
 * tokens with a correct checksum around a deliberately wrong part (and check that it is that part which is
 * refused), and check minted checksums against a second implementation.
 */
final class ReferenceTokens {

    static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private ReferenceTokens() {
    }

    /** {@code prefix + environment + "_" + random} followed by the 6-character base62 CRC32 of all that. */
    static String forge(String prefix, String environment, String random) {
        String body = prefix + environment + "_" + random;
        return body + checksum(body);
    }

    /** The big-endian, zero-padded, 6-digit base62 CRC32 of the bytes of {@code body}. */
    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.ISO_8859_1));
        long value = crc.getValue();
        char[] digits = new char[6];
        for (int i = digits.length - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(digits);
    }

    /** Thirty random base62 characters from a seeded generator. */
    static String randomPart(long seed) {
        SecureRandom random = seeded(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < TokenFormat.RANDOM_LENGTH; i++) {
            sb.append(BASE62.charAt(random.nextInt(62)));
        }
        return sb.toString();
    }

    /**
     * A {@link SecureRandom} that gives the same sequence for the same seed: SHA1PRNG seeded before its first
     * use is deterministic. Only for tests, where a failure must be reproducible.
     */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG is in every JDK's SUN provider", e);
        }
    }
}
