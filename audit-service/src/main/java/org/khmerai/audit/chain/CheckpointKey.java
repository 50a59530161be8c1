package org.khmerai.audit.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * The Ed25519 key the audit service signs chain checkpoints with. It lives in a file the service
 * holds (a mounted Secret in a cluster): the PKCS#8 private key and the X.509 public key, base64,
 * a line each. A file that does not exist yet is created with a new key, readable by its owner only.
 */
public final class CheckpointKey {

    private static final String ALGORITHM = "Ed25519";
    private static final String HEADER = "# khmer-ai audit checkpoint key (Ed25519): PKCS#8 private key, X.509 public key";

    private final PrivateKey privateKey;
    private final byte[] publicKey;

    private CheckpointKey(PrivateKey privateKey, byte[] publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static CheckpointKey loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint key " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
        }
        return load(file);
    }

    /** The key in {@code file}, which must exist. */
    public static CheckpointKey load(Path file) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
            if (lines.size() != 2) {
                throw new IllegalStateException(file + " is not a checkpoint key file: expected two base64 lines");
            }
            KeyFactory keys = KeyFactory.getInstance(ALGORITHM);
            PrivateKey privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines.get(0))));
            return new CheckpointKey(privateKey, Base64.getDecoder().decode(lines.get(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " does not hold an Ed25519 checkpoint key", e);
        }
    }

    private static void create(Path file) throws IOException, GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path written = Files.createTempFile(parent, "checkpoint-key", ".tmp");
        Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
        Files.write(written, List.of(HEADER,
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())));
        Files.move(written, file);
    }

    /** X.509 SubjectPublicKeyInfo. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Names the key in checkpoints: the first 16 hex digits of the SHA-256 of its public key. */
    public String id() {
        return idOf(publicKey);
    }

    public static String idOf(byte[] publicKey) {
        return ChainHashes.hex(ChainHashes.sha256(publicKey)).substring(0, 16);
    }

    public byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether {@code signature} is {@code publicKey}'s over {@code message}; false for anything malformed. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        try {
            PublicKey key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(publicKey));
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
