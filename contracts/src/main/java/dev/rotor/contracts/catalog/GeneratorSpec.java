package dev.rotor.contracts.catalog;

import java.util.Locale;

/**
 * How new versions are generated.
 *
 * @param type {@code hex}, {@code base64}, {@code alnum}, {@code password} or {@code fernet} (a Fernet key: 32 random
 *     bytes as URL-safe base64 with padding, 44 characters, as Python's {@code Fernet.generate_key()} prints)
 * @param bytes random bytes for {@code hex} and {@code base64}; always 32 for {@code fernet}
 * @param length characters for {@code alnum} and {@code password}
 * @param exclude characters a {@code password} must not contain (URL- or shell-safe values)
 */
public record GeneratorSpec(String type, Integer bytes, Integer length, String exclude) {
    public static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    public static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public static final String DIGITS = "0123456789";
    /**
     * The symbols of a {@code password}: none of {@code ' " \ `} or {@code $}, so every value has a rendering that
     * Node's dotenv, python-dotenv, Docker Compose and a shell's {@code source} all read back unchanged (python-dotenv
     * expands {@code ${...}} even inside single quotes).
     */
    public static final String SYMBOLS = "!#%&()*+,-./:;<=>?@[]^_{|}~";
    /** The floor for keys (hex, base64). */
    public static final int KEY_MIN_BITS = 128;
    /** The floor for passwords (alnum, password). */
    public static final int PASSWORD_MIN_BITS = 96;
    /** The random bytes of a {@code fernet} key: 16 signing, 16 encryption. */
    public static final int FERNET_BYTES = 32;

    private boolean isKey() {
        return "hex".equals(type) || "base64".equals(type) || "fernet".equals(type);
    }

    /** The characters an {@code alnum} or {@code password} value is drawn from; empty for byte-sized types. */
    public String alphabet() {
        if ("alnum".equals(type)) {
            return LOWER + UPPER + DIGITS;
        }
        if (!"password".equals(type)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (char c : (LOWER + UPPER + DIGITS + SYMBOLS).toCharArray()) {
            if (exclude == null || exclude.indexOf(c) < 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The entropy a value carries: bytes × 8, or length × log2(alphabet size). */
    public double entropyBits() {
        if ("fernet".equals(type)) {
            return FERNET_BYTES * 8.0;
        }
        if ("hex".equals(type) || "base64".equals(type)) {
            return bytes == null ? 0 : bytes * 8.0;
        }
        int size = alphabet().length();
        return length == null || size < 2 ? 0 : length * (Math.log(size) / Math.log(2));
    }

    public int minimumBits() {
        return isKey() ? KEY_MIN_BITS : PASSWORD_MIN_BITS;
    }

    /** For messages: the figure, e.g. {@code 95.3 bits (16 characters from 62)}. */
    public String entropyFigure() {
        if (isKey()) {
            return String.format(Locale.ROOT, "%.0f bits (%d bytes)", entropyBits(),
                    "fernet".equals(type) ? FERNET_BYTES : bytes);
        }
        return String.format(Locale.ROOT, "%.1f bits (%d characters from %d)", entropyBits(), length,
                alphabet().length());
    }
}
