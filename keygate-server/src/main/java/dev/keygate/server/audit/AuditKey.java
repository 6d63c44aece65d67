package dev.keygate.server.audit;

import dev.keygate.server.config.ServerConfig;
import dev.keygate.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The HMAC-SHA256 key that signs audit checkpoints. Configured through {@code KEYGATE_AUDIT_KEY} (environment only),
 * or, when that is unset, generated once and kept in the store, which is weaker: whoever can read the database can
 * read the key and forge checkpoints with it. The key itself never leaves this class: not in logs, not in
 * {@link #toString()}; only its {@link #keyId()}, a tag that reveals nothing about it, is stored with checkpoints.
 */
public final class AuditKey {

    private static final Logger log = LoggerFactory.getLogger(AuditKey.class);
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();
    /** Bytes of a generated key, and the fewest a configured one may have. */
    public static final int MIN_BYTES = ServerConfig.MIN_KEY_BYTES;

    private final SecretKeySpec key;
    private final String keyId;
    private final boolean generated;

    private AuditKey(byte[] bytes, boolean generated) {
        this.key = new SecretKeySpec(bytes, ALGORITHM);
        this.keyId = HEX.formatHex(mac("keygate-audit-key-id".getBytes(StandardCharsets.US_ASCII)), 0, 8);
        this.generated = generated;
    }

    /**
     * A configured key.
     *
     * @throws IllegalArgumentException if it has fewer than {@link #MIN_BYTES} bytes
     */
    public static AuditKey of(byte[] bytes) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("an audit key needs at least " + MIN_BYTES + " bytes");
        }
        return new AuditKey(bytes.clone(), false);
    }

    /**
     * The key to sign with: {@code configured} if given, else the store's generated key (created on first use;
     * nodes starting together agree on one). With a configured key, each chain's latest checkpoint, if one of
     * {@code previous} or the store's generated key signed it (and its signature holds), is signed again with it,
     * and the generated key is deleted: left in the store it would let anyone reading the database forge
     * checkpoints.
     *
     * @param configured the key of {@code KEYGATE_AUDIT_KEY}, or {@code null}
     * @param previous   keys given up (e.g. {@code KEYGATE_AUDIT_PREVIOUS_KEY}) whose checkpoints to sign again
     */
    public static AuditKey load(Database db, AuditStore audit, AuditKey configured, List<AuditKey> previous,
                                Clock clock) {
        if (configured == null) {
            AuditKey generated = db.inTransaction(c -> {
                Optional<String> stored = audit.generatedKey(c);
                if (stored.isPresent()) {
                    return new AuditKey(Base64.getDecoder().decode(stored.get()), true);
                }
                byte[] bytes = new byte[MIN_BYTES];
                new SecureRandom().nextBytes(bytes);
                // Of nodes starting at once, the first insert wins and everyone reads it back.
                audit.insertGeneratedKey(c, Base64.getEncoder().encodeToString(bytes), clock.instant());
                return new AuditKey(Base64.getDecoder().decode(audit.generatedKey(c).orElseThrow()), true);
            });
            log.warn("KEYGATE_AUDIT_KEY is not set: audit checkpoints are signed with a key generated and kept in the "
                    + "store, which anyone who can read the database can read too, and so forge checkpoints with. Set "
                    + "KEYGATE_AUDIT_KEY on every node to at least {} random bytes in base64 (e.g. 'openssl rand "
                    + "-base64 32'); see docs/audit.md", MIN_BYTES);
            return generated;
        }
        db.inTransaction(c -> {
            List<AuditKey> older = new ArrayList<>(previous);
            audit.generatedKey(c).ifPresent(k -> older.add(new AuditKey(Base64.getDecoder().decode(k), true)));
            configured.resignCheckpoints(c, audit, older);
            if (audit.deleteGeneratedKey(c)) {
                log.info("audit key: KEYGATE_AUDIT_KEY is set; the key generated in the store was deleted");
            }
            return null;
        });
        return configured;
    }

    /** A short public tag of the key, stored with each checkpoint it signs: names the key, reveals nothing of it. */
    public String keyId() {
        return keyId;
    }

    /** Whether the key was generated and kept in the store rather than configured. */
    public boolean generated() {
        return generated;
    }

    /** A checkpoint of these values, naming this key and signed with it. */
    Checkpoint sign(AuditChain chain, long seq, String hash, Instant time, Instant prunedBefore) {
        Checkpoint unsigned = new Checkpoint(chain, seq, hash, time, prunedBefore, keyId, null);
        return new Checkpoint(chain, seq, hash, time, prunedBefore, keyId, HEX.formatHex(mac(unsigned.signedForm())));
    }

    /** Whether {@code checkpoint}'s signature holds under this key. */
    public SignatureCheck check(Checkpoint checkpoint) {
        if (!keyId.equals(checkpoint.keyId())) {
            return SignatureCheck.UNKNOWN_KEY;
        }
        byte[] expected = mac(checkpoint.signedForm());
        byte[] actual;
        try {
            actual = HEX.parseHex(checkpoint.signature());
        } catch (IllegalArgumentException | NullPointerException e) {
            return SignatureCheck.INVALID;
        }
        return MessageDigest.isEqual(expected, actual) ? SignatureCheck.VALID : SignatureCheck.INVALID;
    }

    /** The outcome of checking a checkpoint's signature. */
    public enum SignatureCheck {
        VALID,
        /** Signed, per its key id, with this key, but the signature does not hold: forged or edited. */
        INVALID,
        /** Signed with a key this server does not hold: it cannot be checked. */
        UNKNOWN_KEY;

        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "AuditKey[" + keyId + (generated ? ", generated" : "") + "]";
    }

    private void resignCheckpoints(Connection c, AuditStore audit, List<AuditKey> older) throws SQLException {
        for (AuditChain chain : AuditChain.values()) {
            Optional<Checkpoint> cp = audit.checkpoint(c, chain);
            if (cp.isEmpty() || cp.get().keyId().equals(keyId)) {
                continue;
            }
            for (AuditKey old : older) {
                if (old.check(cp.get()) == SignatureCheck.VALID) {
                    Checkpoint p = cp.get();
                    audit.resign(c, sign(chain, p.seq(), p.hash(), p.time(), p.prunedBefore()));
                    log.info("audit key: the {} chain's checkpoint (seq {}) signed by key {} is now signed by key {}",
                            chain.apiName(), p.seq(), old.keyId, keyId);
                    break;
                }
            }
        }
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }
}
