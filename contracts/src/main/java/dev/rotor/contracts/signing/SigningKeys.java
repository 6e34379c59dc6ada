package dev.rotor.contracts.signing;

import dev.rotor.contracts.cipher.Ed25519;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 key files: private keys as PKCS#8 PEM ({@code PRIVATE KEY}, as {@code openssl genpkey -algorithm ed25519}
 * writes them), public keys as X.509 PEM ({@code PUBLIC KEY}, as {@code openssl pkey -pubout} writes them). Errors
 * name the setting and the file, never the content.
 */
public final class SigningKeys {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    /** The X.509 SubjectPublicKeyInfo of an Ed25519 key (RFC 8410) up to the 32 key bytes. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private SigningKeys() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(MessageSignatures.ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + MessageSignatures.ALGORITHM, e);
        }
    }

    /**
     * The key id carried in {@code ce_rotorkid}: the first 16 hex digits of the SHA-256 of the public key's X.509
     * encoding, so every party computes it from the public key alone.
     */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key of a private one. */
    public static PublicKey publicOf(PrivateKey key) {
        byte[] raw = Ed25519.signingKey(rawPrivate(key)).publicKey();
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance(MessageSignatures.ALGORITHM).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 32-byte RFC 8032 private key (seed) of a JDK Ed25519 private key. */
    static byte[] rawPrivate(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey edec)) {
            throw new SigningKeyException("not an Ed25519 private key");
        }
        return edec.getBytes().orElseThrow(() -> new SigningKeyException("the private key's bytes are not readable"));
    }

    /** The 32-byte RFC 8032 encoding of a JDK Ed25519 public key: its X.509 form is a fixed prefix, then those. */
    static byte[] rawPublic(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (spki == null || spki.length != SPKI_PREFIX.length + Ed25519.KEY_LENGTH
                || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new SigningKeyException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length);
    }

    /** The private key named by a setting; fails naming the setting when it is unset or not such a key. */
    public static PrivateKey requirePrivate(String setting, Optional<String> file) {
        Path path = required(setting, file, "an Ed25519 private key, PKCS#8 PEM");
        try {
            return KeyFactory.getInstance(MessageSignatures.ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(pem(setting, path, "PRIVATE KEY")));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new SigningKeyException(setting + ": " + path + " does not hold an Ed25519 private key");
        }
    }

    /** The public key named by a setting; fails naming the setting when it is unset or not such a key. */
    public static PublicKey requirePublic(String setting, Optional<String> file) {
        Path path = required(setting, file, "an Ed25519 public key, X.509 PEM");
        return readPublic(setting, path);
    }

    /** The public key in a file; {@code setting} only names it in errors. */
    public static PublicKey readPublic(String setting, Path path) {
        try {
            return KeyFactory.getInstance(MessageSignatures.ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(pem(setting, path, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new SigningKeyException(setting + ": " + path + " does not hold an Ed25519 public key");
        }
    }

    /**
     * Writes a pair: the private key to a new file created with mode 0600 (never wider, not even for a moment), the
     * public key beside it. Refuses to overwrite either.
     */
    public static void write(KeyPair pair, Path privateFile, Path publicFile) throws IOException {
        try (OutputStream out = Files.newOutputStream(Files.createFile(privateFile,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                StandardOpenOption.WRITE)) {
            out.write(pemText("PRIVATE KEY", pair.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII));
        }
        Files.writeString(publicFile, publicPem(pair.getPublic()),
                StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** A public key as X.509 PEM text. */
    public static String publicPem(PublicKey key) {
        return pemText("PUBLIC KEY", key.getEncoded());
    }

    static String pemText(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static Path required(String setting, Optional<String> file, String what) {
        String value = file.map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new SigningKeyException(setting + " is not set: it names the file of " + what));
        return Path.of(value);
    }

    private static byte[] pem(String setting, Path path, String label) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new SigningKeyException(setting + ": cannot read " + path + " (" + e.getClass().getSimpleName()
                    + ")");
        }
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                try {
                    return Base64.getMimeDecoder().decode(m.group(2));
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
        }
        throw new SigningKeyException(setting + ": " + path + " has no PEM block '" + label + "'");
    }
}
