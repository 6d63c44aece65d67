package dev.keygate.cli;

import dev.keygate.server.testing.GitHubKeys;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygate serve --leak-report-keys FILE} ({@code KEYGATE_LEAK_REPORT_KEYS}): GitHub's secret-scanning public
 * keys, read and checked at start-up. A file that is not that, or holds a key that is not an ECDSA P-256 public key,
 * stops the start with exit 2 and a line naming the file and the problem. An invalid {@code --listen} is given beside
 * a valid file to stop the start after the checks, proving the file was accepted.
 */
class ServeLeakReportKeysOptionsTest {

    private static final String LISTEN_PROBLEM =
            "keygate serve: --listen (KEYGATE_LISTEN): 'nonsense' is not host:port (e.g. 127.0.0.1:8080)\n";

    @Test
    void serveWhenTheKeysFileIsValidThenItIsAccepted() {
        Path file = GitHubKeys.write(GitHubKeys.file(GitHubKeys.generate(false), GitHubKeys.generate(true)));

        Cli.Result r = Cli.bare().run("serve", "--leak-report-keys", file.toString(), "--listen", "nonsense");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(LISTEN_PROBLEM);
    }

    @Test
    void serveWhenTheKeysFileDoesNotExistThenStartUpFailsNamingItAndExits2() {
        Path missing = GitHubKeys.write("{}").resolveSibling("missing.json");

        Cli.Result r = Cli.bare().run("serve", "--leak-report-keys", missing.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("keygate serve: --leak-report-keys (KEYGATE_LEAK_REPORT_KEYS): '" + missing
                + "' cannot be read: no such file\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void serveWhenTheKeysFileIsNotJsonThenStartUpFailsSayingWhere() {
        Path file = GitHubKeys.write("{\"public_keys\": [\n  {\"key_identifier\": \"a\",, }\n]}");

        Cli.Result r = Cli.bare().run("serve", "--leak-report-keys", file.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("keygate serve: --leak-report-keys (KEYGATE_LEAK_REPORT_KEYS): '" + file
                + "' is not valid JSON (line 2, column ").endsWith("): download it again from "
                + "https://api.github.com/meta/public_keys/secret_scanning\n");
    }

    @Test
    void serveWhenTheKeysFileIsAnotherDocumentThenStartUpFailsNamingTheFormatExpected() {
        for (String text : new String[] {"[]", "{\"keys\": []}", "{\"public_keys\": {}}", "\"public_keys\"", ""}) {
            Path file = GitHubKeys.write(text);

            Cli.Result r = Cli.bare().run("serve", "--leak-report-keys", file.toString());

            assertThat(r.exitCode()).as(text).isEqualTo(2);
            assertThat(r.err()).as(text).isEqualTo("keygate serve: --leak-report-keys (KEYGATE_LEAK_REPORT_KEYS): '"
                    + file + "' is not GitHub's secret-scanning keys file: it must be a JSON object {\"public_keys\": "
                    + "[{\"key_identifier\", \"key\", \"is_current\"}, ...]}, as "
                    + "https://api.github.com/meta/public_keys/secret_scanning serves it\n");
        }
    }

    @Test
    void serveWhenTheKeysFileHoldsNoKeyThenStartUpFails() {
        Path file = GitHubKeys.write("{\"public_keys\": []}");

        Cli.Result r = Cli.bare().run("serve", "--leak-report-keys", file.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("keygate serve: --leak-report-keys (KEYGATE_LEAK_REPORT_KEYS): '" + file
                + "' holds no keys (\"public_keys\" is empty): no signed report could be accepted\n");
    }

    @Test
    void serveWhenAKeyIsNotAnEcP256PublicKeyThenEachIsNamedByItsEntryAndIdentifier() {
        String rsa = GitHubKeys.pem(GitHubKeys.pair("RSA", new RSAKeyGenParameterSpec(2048,
                RSAKeyGenParameterSpec.F4)).getPublic());
        String p384 = GitHubKeys.pem(GitHubKeys.pair("EC", new ECGenParameterSpec("secp384r1")).getPublic());
        GitHubKeys.Key good = GitHubKeys.generate(true);
        String text = "{\"public_keys\": ["
                + entry("rsa-key", rsa) + ", "
                + entry("p384-key", p384) + ", "
                + entry("not-pem", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE") + ", "
                + entry("bad-base64", "-----BEGIN PUBLIC KEY-----\\n***\\n-----END PUBLIC KEY-----\\n") + ", "
                + "{\"key\": \"" + json(good.pem()) + "\"}, "
                + entry(good.id(), good.pem()) + ", "
                + entry(good.id(), good.pem()) + ", "
                + "{\"key_identifier\": \"flag\", \"key\": \"" + json(good.pem()) + "\", \"is_current\": \"yes\"}, "
                + "42]}";
        Path file = GitHubKeys.write(text);

        Cli.Result r = Cli.bare().run("serve", "--leak-report-keys", file.toString());

        String prefix = "keygate serve: --leak-report-keys (KEYGATE_LEAK_REPORT_KEYS): '" + file + "' ";
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                prefix + "public_keys[0] (key_identifier 'rsa-key'): key is not an EC public key (GitHub signs with "
                        + "ECDSA P-256)",
                prefix + "public_keys[1] (key_identifier 'p384-key'): key is an EC key on another curve than P-256 "
                        + "(secp256r1), which GitHub signs with",
                prefix + "public_keys[2] (key_identifier 'not-pem'): key is not a PEM public key (-----BEGIN PUBLIC "
                        + "KEY----- ... -----END PUBLIC KEY-----)",
                prefix + "public_keys[3] (key_identifier 'bad-base64'): key is not a PEM public key (-----BEGIN "
                        + "PUBLIC KEY----- ... -----END PUBLIC KEY-----)",
                prefix + "public_keys[4].key_identifier is missing or not a non-empty string",
                prefix + "public_keys[6] (key_identifier '" + good.id() + "') appears twice",
                prefix + "public_keys[7] (key_identifier 'flag'): is_current must be true or false",
                prefix + "public_keys[8] is not an object {\"key_identifier\", \"key\", \"is_current\"}");
    }

    @Test
    void serveWhenOnlyTheEnvironmentNamesTheFileThenItIsReadAndTheFlagWinsOverIt() {
        Path valid = GitHubKeys.write(GitHubKeys.file(GitHubKeys.generate(true)));
        Path empty = GitHubKeys.write("{\"public_keys\": []}");

        Cli.Result fromEnv = Cli.bare().env("KEYGATE_LEAK_REPORT_KEYS", empty.toString()).run("serve");
        Cli.Result fromFlag = Cli.bare().env("KEYGATE_LEAK_REPORT_KEYS", empty.toString())
                .run("serve", "--leak-report-keys", valid.toString(), "--listen", "nonsense");

        assertThat(fromEnv.exitCode()).isEqualTo(2);
        assertThat(fromEnv.err()).contains("--leak-report-keys (KEYGATE_LEAK_REPORT_KEYS): '" + empty + "' holds no "
                + "keys");
        assertThat(fromFlag.err()).isEqualTo(LISTEN_PROBLEM);
    }

    @Test
    void serveHelpWhenShownThenListsTheOptionWithItsVariable() {
        Cli.Result r = Cli.bare().run("serve", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--leak-report-keys=FILE").contains("KEYGATE_LEAK_REPORT_KEYS");
    }

    private static String entry(String id, String pem) {
        return "{\"key_identifier\": \"" + id + "\", \"key\": \"" + json(pem) + "\", \"is_current\": false}";
    }

    private static String json(String text) {
        return text.replace("\n", "\\n");
    }
}
