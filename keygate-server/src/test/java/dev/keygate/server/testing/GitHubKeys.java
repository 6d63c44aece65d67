package dev.keygate.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signing keys made up as GitHub's secret-scanning partner program has them: ECDSA P-256 key pairs, the keys file
 * {@code https://api.github.com/meta/public_keys/secret_scanning} serves, and signatures as GitHub sends them
 * (base64 of the DER signature of the raw body).
 */
public final class GitHubKeys {

    private GitHubKeys() {
    }

    /** One signing key: its identifier (64 hex digits, as GitHub's are), its pair, and whether the file marks it current. */
    public record Key(String id, KeyPair pair, boolean current) {

        /** The {@code Github-Public-Key-Signature} of {@code body}: base64 of the DER ECDSA P-256 / SHA-256 signature. */
        public String sign(byte[] body) {
            try {
                Signature signer = Signature.getInstance("SHA256withECDSA");
                signer.initSign(pair.getPrivate());
                signer.update(body);
                return Base64.getEncoder().encodeToString(signer.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The public key in PEM, as GitHub's file holds it. */
        public String pem() {
            return GitHubKeys.pem(pair.getPublic());
        }
    }

    /** A new P-256 key pair named by the SHA-256 of its public key. */
    public static Key generate(boolean current) {
        KeyPair pair = pair("EC", new ECGenParameterSpec("secp256r1"));
        try {
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(pair.getPublic().getEncoded()));
            return new Key(id, pair, current);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair of any kind, for keys a keys file must not hold (RSA, another curve). */
    public static KeyPair pair(String algorithm, AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(spec);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code key} as a PEM {@code PUBLIC KEY} block, 64 characters a line. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** The keys file, in GitHub's format, listing {@code keys} in order. */
    public static String file(Key... keys) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Key key : keys) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key_identifier", key.id());
            entry.put("key", key.pem());
            entry.put("is_current", key.current());
            entries.add(entry);
        }
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Map.of("public_keys", entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} to a new file in a new temporary folder, both deleted when the JVM exits; its path. */
    public static Path write(String text) {
        try {
            Path dir = Files.createTempDirectory("keygate-keys-");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("secret_scanning.json");
            Files.writeString(file, text);
            // Registered after its folder, so deleted before it.
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
