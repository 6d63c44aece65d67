package dev.keygate.server.leak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public keys that sign leak reports sent straight by GitHub's secret-scanning partner program
 * ({@code --leak-report-keys}): the file GitHub publishes at {@value #GITHUB_KEYS_URL}, as
 * {@code {"public_keys": [{"key_identifier", "key", "is_current"}, ...]}}, each key an ECDSA P-256 public key in
 * PEM. Read and checked once at start-up, then immutable. GitHub signs the raw request body with one of them
 * (ECDSA P-256 with SHA-256, the DER signature in base64 in {@value #SIGNATURE_HEADER}) and names it in
 * {@value #KEY_ID_HEADER}; every key in the file is accepted, current or not, since GitHub keeps publishing a key
 * it stopped signing with while its reports may still be in flight.
 *
 * <p>Fields GitHub may add to the file are ignored: a refreshed file must not stop a restart for a field that
 * changes nothing here. Nothing here is secret: the keys and their identifiers are public.
 */
public final class LeakReportKeys {

    /** Where GitHub publishes the keys (the operator downloads it; the server never fetches anything). */
    public static final String GITHUB_KEYS_URL = "https://api.github.com/meta/public_keys/secret_scanning";
    /** The header naming the key GitHub signed with: a {@code key_identifier} of the file. */
    public static final String KEY_ID_HEADER = "Github-Public-Key-Identifier";
    /** The header holding GitHub's signature of the raw body: base64 of the ASN.1 DER ECDSA signature. */
    public static final String SIGNATURE_HEADER = "Github-Public-Key-Signature";
    /** A keys file larger than this is not one (GitHub's holds a few keys of 200 bytes each). */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private static final LeakReportKeys NONE = new LeakReportKeys(Map.of(), List.of());
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern PEM = Pattern.compile(
            "\\s*-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----\\s*");
    private static final ECParameterSpec P256 = p256();

    private final Map<String, PublicKey> keys;
    private final List<String> current;

    private LeakReportKeys(Map<String, PublicKey> keys, List<String> current) {
        this.keys = Map.copyOf(keys);
        this.current = List.copyOf(current);
    }

    /** No keys: signed reports are refused ({@link SignatureCheck#NOT_ACCEPTED}). */
    public static LeakReportKeys none() {
        return NONE;
    }

    /**
     * Reads and checks a keys file in GitHub's format.
     *
     * @param problems where each problem found is added, one line each, naming the entry ({@code public_keys[1]})
     *                 and what is wrong, never more of the file than a key identifier
     * @return the keys, or {@code null} when a problem was added
     */
    public static LeakReportKeys load(Path file, List<String> problems) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                problems.add("is larger than 1 MiB: not GitHub's keys file (" + GITHUB_KEYS_URL + ")");
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            problems.add("cannot be read: no such file");
            return null;
        } catch (AccessDeniedException e) {
            problems.add("cannot be read: permission denied");
            return null;
        } catch (IOException e) {
            problems.add("cannot be read: " + e.getMessage());
            return null;
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), problems);
    }

    /** As {@link #load}, from the file's text. */
    static LeakReportKeys parse(String json, List<String> problems) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            problems.add("is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): download it again from " + GITHUB_KEYS_URL);
            return null;
        }
        JsonNode list = root == null ? null : root.get("public_keys");
        if (list == null || !list.isArray()) {
            problems.add("is not GitHub's secret-scanning keys file: it must be a JSON object {\"public_keys\": "
                    + "[{\"key_identifier\", \"key\", \"is_current\"}, ...]}, as " + GITHUB_KEYS_URL + " serves it");
            return null;
        }
        if (list.isEmpty()) {
            problems.add("holds no keys (\"public_keys\" is empty): no signed report could be accepted");
            return null;
        }
        int before = problems.size();
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        List<String> current = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "public_keys[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                problems.add(at + " is not an object {\"key_identifier\", \"key\", \"is_current\"}");
                continue;
            }
            JsonNode id = entry.get("key_identifier");
            if (id == null || !id.isTextual() || id.asText().isBlank()) {
                problems.add(at + ".key_identifier is missing or not a non-empty string");
                continue;
            }
            String keyId = id.asText();
            at = at + " (key_identifier '" + printable(keyId) + "')";
            if (keys.containsKey(keyId)) {
                problems.add(at + " appears twice");
                continue;
            }
            JsonNode isCurrent = entry.get("is_current");
            if (isCurrent != null && !isCurrent.isBoolean()) {
                problems.add(at + ": is_current must be true or false");
                continue;
            }
            JsonNode pem = entry.get("key");
            if (pem == null || !pem.isTextual()) {
                problems.add(at + ": key is missing or not a string");
                continue;
            }
            PublicKey key = p256Key(pem.asText(), at, problems);
            if (key != null) {
                keys.put(keyId, key);
                if (isCurrent != null && isCurrent.asBoolean()) {
                    current.add(keyId);
                }
            }
        }
        return problems.size() > before ? null : new LeakReportKeys(keys, current);
    }

    /**
     * Checks GitHub's signature of a report: {@code signature} (the {@value #SIGNATURE_HEADER} header, base64 of a
     * DER ECDSA signature) over exactly {@code body}, the raw request body, with the key {@code keyId} names (the
     * {@value #KEY_ID_HEADER} header). Either header {@code null} means it was not sent.
     *
     * @return {@link SignatureCheck#VALID} only if both headers were sent and the signature verifies
     */
    public SignatureCheck check(String keyId, String signature, byte[] body) {
        if (keyId == null || signature == null) {
            return SignatureCheck.INCOMPLETE;
        }
        if (keys.isEmpty()) {
            return SignatureCheck.NOT_ACCEPTED;
        }
        // Identifiers and keys are public: nothing compared here is secret, so nothing needs constant time.
        PublicKey key = keys.get(keyId);
        if (key == null) {
            return SignatureCheck.UNKNOWN_KEY;
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            return SignatureCheck.NOT_BASE64;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(body);
            return verifier.verify(der) ? SignatureCheck.VALID : SignatureCheck.MISMATCH;
        } catch (SignatureException e) {
            // Not a DER ECDSA signature at all: as wrong as one that does not match.
            return SignatureCheck.MISMATCH;
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("a key checked as P-256 at start-up was refused", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withECDSA is not available in this JVM", e);
        }
    }

    /** Whether any key was given: without one, every signed report is refused. */
    public boolean accepted() {
        return !keys.isEmpty();
    }

    /** How many keys there are. */
    public int size() {
        return keys.size();
    }

    /** The identifiers of the keys the file marks {@code is_current}: GitHub signs new reports with these. */
    public List<String> current() {
        return current;
    }

    @Override
    public String toString() {
        return keys.isEmpty() ? "none" : keys.size() + " keys";
    }

    /** The key an entry's PEM holds if it is an EC public key on P-256 (secp256r1), else {@code null}. */
    private static PublicKey p256Key(String pem, String at, List<String> problems) {
        Matcher m = PEM.matcher(pem);
        if (!m.matches()) {
            problems.add(at + ": key is not a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
            return null;
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            problems.add(at + ": key is not valid base64 inside its PEM lines");
            return null;
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            problems.add(at + ": key is not an EC public key (GitHub signs with ECDSA P-256)");
            return null;
        }
        if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
            problems.add(at + ": key is an EC key on another curve than P-256 (secp256r1), which GitHub signs with");
            return null;
        }
        return key;
    }

    private static boolean isP256(ECParameterSpec params) {
        return params.getCurve().equals(P256.getCurve()) && params.getGenerator().equals(P256.getGenerator())
                && params.getOrder().equals(P256.getOrder()) && params.getCofactor() == P256.getCofactor();
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A key identifier as it may be shown: at most 80 characters, control characters as ?. */
    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        StringBuilder sb = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
