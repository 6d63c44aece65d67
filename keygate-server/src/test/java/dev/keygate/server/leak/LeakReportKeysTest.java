package dev.keygate.server.leak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LeakReportKeys} against GitHub's own example: the key, payload and signature its secret-scanning partner
 * documentation gives (docs.github.com, "Secret scanning partner program", the validation samples), in the keys file
 * format {@code https://api.github.com/meta/public_keys/secret_scanning} serves. The end-to-end behaviour, with keys
 * made up by the test, is {@code LeakSignatureApiTest}'s; this proves the check agrees with what GitHub really sends.
 */
class LeakReportKeysTest {

    private static final String KEY_ID = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";
    private static final String FILE = """
            {
              "public_keys": [
                {
                  "key_identifier": "%s",
                  "key": "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9MJJHnMfn2+H4xL4YaPDA4RpJqUq\\nkCmRCBnYERxZanmcpzQSXs1X/AljlKkbJ8qpVIW4clayyef9gWhFbNHWAA==\\n-----END PUBLIC KEY-----",
                  "is_current": true
                }
              ]
            }
            """.formatted(KEY_ID);
    private static final byte[] PAYLOAD = "[{\"token\":\"some_token\",\"type\":\"some_type\",\"url\":\"some_url\"}]"
            .getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE =
            "MEUCIQDKZokqnCjrRtw0tni+2Ltvl/uiMJ1EGumEsp1BsNr32AIgQY1YXD2nlj+XNfGK4rBfkMJ1JDOQcYXxa2sY8FNkrKc=";

    @Test
    void checkWhenGitHubsDocumentedExampleThenValid() {
        LeakReportKeys keys = parse(FILE);

        assertThat(keys.check(KEY_ID, SIGNATURE, PAYLOAD)).isEqualTo(SignatureCheck.VALID);
        assertThat(keys.current()).containsExactly(KEY_ID);
    }

    @Test
    void checkWhenOneByteOfTheExampleChangesThenMismatch() {
        byte[] changed = PAYLOAD.clone();
        changed[changed.length - 3] = 'X';

        assertThat(parse(FILE).check(KEY_ID, SIGNATURE, changed)).isEqualTo(SignatureCheck.MISMATCH);
    }

    @Test
    void checkWhenAHeaderIsMissingOrNoKeysOrUnknownKeyOrNotBase64ThenEachIsNamed() {
        LeakReportKeys keys = parse(FILE);

        assertThat(keys.check(null, SIGNATURE, PAYLOAD)).isEqualTo(SignatureCheck.INCOMPLETE);
        assertThat(keys.check(KEY_ID, null, PAYLOAD)).isEqualTo(SignatureCheck.INCOMPLETE);
        assertThat(LeakReportKeys.none().check(KEY_ID, SIGNATURE, PAYLOAD)).isEqualTo(SignatureCheck.NOT_ACCEPTED);
        assertThat(keys.check(KEY_ID.toUpperCase(Locale.ROOT), SIGNATURE, PAYLOAD)).isEqualTo(SignatureCheck.UNKNOWN_KEY);
        assertThat(keys.check(KEY_ID, "MEUCIQ*", PAYLOAD)).isEqualTo(SignatureCheck.NOT_BASE64);
        assertThat(keys.check(KEY_ID, "AAAA", PAYLOAD)).as("base64, not DER").isEqualTo(SignatureCheck.MISMATCH);
    }

    /** GitHub may add fields to its file: a refreshed file must still load. */
    @Test
    void parseWhenTheFileHasFieldsThisServerDoesNotUseThenTheyAreIgnored() {
        String text = FILE.replace("\"is_current\": true", "\"is_current\": true, \"algorithm\": \"ES256\"")
                .replace("\"public_keys\"", "\"generated_at\": \"2026-01-01\", \"public_keys\"");

        assertThat(parse(text).check(KEY_ID, SIGNATURE, PAYLOAD)).isEqualTo(SignatureCheck.VALID);
    }

    @Test
    void parseWhenJsonHasTrailingContentThenRefused() {
        List<String> problems = new ArrayList<>();

        assertThat(LeakReportKeys.parse(FILE + " {}", problems)).isNull();
        assertThat(problems).singleElement().asString().startsWith("is not valid JSON");
    }

    private static LeakReportKeys parse(String text) {
        List<String> problems = new ArrayList<>();
        LeakReportKeys keys = LeakReportKeys.parse(text, problems);
        assertThat(problems).isEmpty();
        return keys;
    }
}
