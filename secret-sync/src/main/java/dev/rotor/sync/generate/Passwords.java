package dev.rotor.sync.generate;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Passwords with every character class that the exclusions leave, so common password policies accept them. */
final class Passwords {
    private Passwords() {
    }

    static String generate(int length, String exclude, SecureRandom random) {
        String excluded = exclude == null ? "" : exclude;
        List<String> classes = new ArrayList<>();
        for (String cls : List.of(Generators.LOWER, Generators.UPPER, Generators.DIGITS, Generators.SYMBOLS)) {
            String kept = without(cls, excluded);
            if (!kept.isEmpty()) {
                classes.add(kept);
            }
        }
        if (classes.isEmpty()) {
            throw new GeneratorException("generator.exclude leaves no characters for a password");
        }
        if (length < classes.size()) {
            throw new GeneratorException("generator.length must be at least " + classes.size()
                    + " to hold every character class");
        }
        String all = String.join("", classes);
        char[] out = new char[length];
        // One character from each class first, the rest from all of them, then a shuffle hides the positions.
        for (int i = 0; i < length; i++) {
            String from = i < classes.size() ? classes.get(i) : all;
            out[i] = from.charAt(random.nextInt(from.length()));
        }
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            char t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return new String(out);
    }

    /** Every character a password may contain after {@code exclude}: the alphabet of the entropy figure. */
    static String alphabet(String exclude) {
        String excluded = exclude == null ? "" : exclude;
        return without(Generators.LOWER + Generators.UPPER + Generators.DIGITS + Generators.SYMBOLS, excluded);
    }

    private static String without(String alphabet, String excluded) {
        StringBuilder kept = new StringBuilder();
        for (char c : alphabet.toCharArray()) {
            if (excluded.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        return kept.toString();
    }
}
