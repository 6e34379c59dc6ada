package dev.rotor.sync.generate;

import dev.rotor.contracts.catalog.GeneratorSpec;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * New secret values from the catalog's generator spec. One {@link SecureRandom} (the platform DRBG, seeded by the OS),
 * not {@code getInstanceStrong()}, which may block on entropy for minutes on a headless host.
 */
public final class Generators {
    // One source for the alphabets: the catalog's entropy check counts the same characters.
    static final String LOWER = GeneratorSpec.LOWER;
    static final String UPPER = GeneratorSpec.UPPER;
    static final String DIGITS = GeneratorSpec.DIGITS;
    static final String SYMBOLS = GeneratorSpec.SYMBOLS;
    private static final int MAX_BYTES = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Generators() {
    }

    /** Generates one value as the spec says; the result is never logged by callers. */
    public static String generate(GeneratorSpec spec) {
        if (spec == null || spec.type() == null) {
            throw new GeneratorException("generator.type is missing");
        }
        return switch (spec.type()) {
            case "hex" -> HexFormat.of().formatHex(randomBytes(bytes(spec)));
            case "base64" -> Base64.getEncoder().encodeToString(randomBytes(bytes(spec)));
            case "alnum" -> fromAlphabet(LOWER + UPPER + DIGITS, length(spec));
            case "password" -> Passwords.generate(length(spec), spec.exclude(), RANDOM);
            // Python's Fernet.generate_key(): URL-safe base64 with padding, 44 characters.
            case "fernet" -> Base64.getUrlEncoder().encodeToString(randomBytes(GeneratorSpec.FERNET_BYTES));
            default -> throw new GeneratorException("generator.type '" + spec.type()
                    + "' is unknown (hex, base64, alnum, password, fernet)");
        };
    }

    static byte[] randomBytes(int n) {
        byte[] out = new byte[n];
        RANDOM.nextBytes(out);
        return out;
    }

    static String fromAlphabet(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static int bytes(GeneratorSpec spec) {
        return positive(spec.bytes(), "generator.bytes", spec.type());
    }

    private static int length(GeneratorSpec spec) {
        return positive(spec.length(), "generator.length", spec.type());
    }

    private static int positive(Integer n, String field, String type) {
        if (n == null || n < 1 || n > MAX_BYTES) {
            throw new GeneratorException(field + " must be between 1 and " + MAX_BYTES + " for type " + type);
        }
        return n;
    }
}
