package dev.keygate.core.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The token format {@code kg_<environment>_<secret>}, after GitHub's: the secret is {@value #RANDOM_LENGTH}
 * base62 characters from a {@link SecureRandom} (about 178 bits) followed by a {@value #CHECKSUM_LENGTH}
 * character base62 CRC32 of everything before it ({@code kg_<environment>_<random>}). The checksum lets a
 * secret scanner, or the verify path, tell a real-looking token from noise without any lookup.
 *
 * <p>Only {@link #hash(String) SHA-256 of the whole token} is ever stored.
 */
public final class TokenFormat {

    public static final String PREFIX = "kg_";
    public static final int RANDOM_LENGTH = 30;
    public static final int CHECKSUM_LENGTH = 6;
    public static final int SECRET_LENGTH = RANDOM_LENGTH + CHECKSUM_LENGTH;
    /** The longest token text: prefix, the longest environment, the separator and the secret. */
    public static final int MAX_LENGTH = PREFIX.length() + Environments.MAX_LENGTH + 1 + SECRET_LENGTH;

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /** The value of each ASCII character as a base62 digit, -1 for the others. */
    private static final byte[] BASE62_VALUES = base62Values();
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(TokenFormat::newSha256);
    private static final ThreadLocal<CRC32> CRC = ThreadLocal.withInitial(CRC32::new);

    private TokenFormat() {
    }

    /**
     * Mints a new token for {@code environment}.
     *
     * @throws IllegalArgumentException if the environment is not valid (see {@link Environments})
     */
    public static String mint(String environment, SecureRandom random) {
        if (!Environments.isValid(environment)) {
            throw new IllegalArgumentException("invalid environment");
        }
        StringBuilder sb = new StringBuilder(PREFIX.length() + environment.length() + 1 + SECRET_LENGTH);
        sb.append(PREFIX).append(environment).append('_');
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            sb.append(BASE62[random.nextInt(BASE62.length)]);
        }
        appendBase62(sb, checksum(sb.toString().getBytes(StandardCharsets.US_ASCII), sb.length()), CHECKSUM_LENGTH);
        return sb.toString();
    }

    /** Returns whether {@code token} has the form of a Keygate token with a correct checksum. Does no I/O. */
    public static boolean isWellFormed(CharSequence token) {
        return hasTokenShape(token) && checksumMatches(token.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The {@link #hash hash} of {@code token} if it is {@link #isWellFormed well formed}, else {@code null}: the
     * first two steps of every verification, on one ASCII copy of the text.
     */
    public static String hashIfWellFormed(String token) {
        if (!hasTokenShape(token)) {
            return null;
        }
        byte[] ascii = token.getBytes(StandardCharsets.US_ASCII); // the shape admits only ASCII
        return checksumMatches(ascii) ? HEX.formatHex(SHA256.get().digest(ascii)) : null;
    }

    /** Prefix, environment, separator and base62 secret in place; the checksum is not checked. */
    private static boolean hasTokenShape(CharSequence token) {
        if (token == null || token.length() > MAX_LENGTH || token.length() < PREFIX.length() + 2 + SECRET_LENGTH) {
            return false;
        }
        for (int i = 0; i < PREFIX.length(); i++) {
            if (token.charAt(i) != PREFIX.charAt(i)) {
                return false;
            }
        }
        int envEnd = token.length() - SECRET_LENGTH - 1;
        if (token.charAt(envEnd) != '_' || !Environments.isValid(token, PREFIX.length(), envEnd)) {
            return false;
        }
        for (int i = envEnd + 1; i < token.length(); i++) {
            if (base62Value(token.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the last {@value #CHECKSUM_LENGTH} characters of a token-shaped text are the CRC32 of the rest. */
    private static boolean checksumMatches(byte[] ascii) {
        int checksumStart = ascii.length - CHECKSUM_LENGTH;
        long actual = 0;
        for (int i = checksumStart; i < ascii.length; i++) {
            actual = actual * BASE62.length + base62Value((char) ascii[i]);
        }
        return actual == checksum(ascii, checksumStart);
    }

    /**
     * The environment named in a well-formed token.
     *
     * @throws IllegalArgumentException if the token is not {@link #isWellFormed well formed}
     */
    public static String environmentOf(String token) {
        if (!isWellFormed(token)) {
            throw new IllegalArgumentException("not a well-formed Keygate token");
        }
        return token.substring(PREFIX.length(), token.length() - SECRET_LENGTH - 1);
    }

    /** SHA-256 of the whole token, as 64 lower-case hex digits: the only form in which a token is stored. */
    public static String hash(String token) {
        MessageDigest digest = SHA256.get();
        byte[] out = digest.digest(token.getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(out);
    }

    /** A new public token id, {@code tok_} followed by 20 base62 characters. Not a secret. */
    public static String newTokenId(SecureRandom random) {
        StringBuilder sb = new StringBuilder(24).append("tok_");
        for (int i = 0; i < 20; i++) {
            sb.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return sb.toString();
    }

    private static long checksum(byte[] ascii, int end) {
        CRC32 crc = CRC.get();
        crc.reset();
        crc.update(ascii, 0, end);
        return crc.getValue();
    }

    private static void appendBase62(StringBuilder sb, long value, int width) {
        char[] digits = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            digits[i] = BASE62[(int) (value % BASE62.length)];
            value /= BASE62.length;
        }
        sb.append(digits);
    }

    private static int base62Value(char c) {
        // A table, not three range tests: every verification looks up some forty characters.
        return c < BASE62_VALUES.length ? BASE62_VALUES[c] : -1;
    }

    private static byte[] base62Values() {
        byte[] values = new byte[128];
        Arrays.fill(values, (byte) -1);
        for (int i = 0; i < BASE62.length; i++) {
            values[BASE62[i]] = (byte) i;
        }
        return values;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
