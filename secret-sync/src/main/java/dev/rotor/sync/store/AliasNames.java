package dev.rotor.sync.store;

import java.nio.charset.StandardCharsets;

/** Keystore aliases for secret paths: reversible, so {@code a/b} and {@code a_b} never collide. */
final class AliasNames {
    static final String INDEX = "rotor.index";

    private AliasNames() {
    }

    static String version(String path, int version) {
        return sanitize(path) + "#v" + version;
    }

    static String snapshot(String path, java.util.UUID rotationId, String key) {
        return sanitize(path) + "#snap-" + rotationId + "-" + sanitize(key);
    }

    /** Keeps {@code [a-z0-9._-]}; every other byte (upper case too, in case a keystore folds case) becomes {@code ~XX}. */
    static String sanitize(String raw) {
        StringBuilder out = new StringBuilder();
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-') {
                out.append(c);
            } else {
                out.append('~').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
