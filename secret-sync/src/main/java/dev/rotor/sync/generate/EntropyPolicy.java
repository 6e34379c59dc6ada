package dev.rotor.sync.generate;

import dev.rotor.contracts.catalog.GeneratorSpec;

/**
 * The floor on what a generator may produce: 128 bits for keys ({@code hex}, {@code base64}: bytes × 8; {@code
 * fernet}: always 256) and 96 bits
 * for passwords ({@code password}, {@code alnum}: length × log2(alphabet after exclusions)). The catalog loader has
 * its own byte minimum; this is secret-sync's check, so a weak spec never produces a value.
 */
public final class EntropyPolicy {
    public static final int KEY_BITS = 128;
    public static final int PASSWORD_BITS = 96;

    private EntropyPolicy() {
    }

    /** The entropy in bits a spec yields. */
    public static double bits(GeneratorSpec spec) {
        return switch (spec.type() == null ? "" : spec.type()) {
            case "hex", "base64" -> spec.bytes() == null ? 0 : spec.bytes() * 8.0;
            case "fernet" -> GeneratorSpec.FERNET_BYTES * 8.0;
            case "alnum" -> spec.length() == null ? 0 : spec.length() * log2(62);
            case "password" -> spec.length() == null ? 0
                    : spec.length() * log2(Passwords.alphabet(spec.exclude()).length());
            default -> 0;
        };
    }

    /** Throws a {@link GeneratorException} with the figure when the spec is below its floor. */
    public static void check(GeneratorSpec spec) {
        if (spec == null || spec.type() == null) {
            throw new GeneratorException("generator.type is missing");
        }
        boolean key = spec.type().equals("hex") || spec.type().equals("base64") || spec.type().equals("fernet");
        int floor = key ? KEY_BITS : PASSWORD_BITS;
        double bits = bits(spec);
        if (bits < floor) {
            throw new GeneratorException(String.format(java.util.Locale.ROOT,
                    "generator %s yields %.1f bits of entropy; at least %d bits are required for %s", describe(spec),
                    bits, floor, key ? "keys" : "passwords"));
        }
    }

    private static String describe(GeneratorSpec spec) {
        return switch (spec.type()) {
            case "hex", "base64" -> spec.type() + " with bytes=" + spec.bytes();
            case "password" -> "password with length=" + spec.length() + " over "
                    + Passwords.alphabet(spec.exclude()).length() + " characters";
            default -> spec.type() + " with length=" + spec.length();
        };
    }

    private static double log2(int n) {
        return n <= 1 ? 0 : Math.log(n) / Math.log(2);
    }
}
