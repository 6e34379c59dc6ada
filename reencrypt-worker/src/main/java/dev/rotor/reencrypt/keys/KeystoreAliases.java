package dev.rotor.reencrypt.keys;

import java.nio.charset.StandardCharsets;

/**
 * secret-sync's alias scheme for version entries in its BCFKS keystore, copied here because services share no code
 * (see {@code dev.rotor.sync.store.AliasNames}): {@code sanitize(path) + "#v" + version}, where every byte outside
 * {@code [a-z0-9._-]} of the UTF-8 path becomes {@code ~XX}.
 */
final class KeystoreAliases {
    private KeystoreAliases() {
    }

    static String version(String path, int version) {
        return sanitize(path) + "#v" + version;
    }

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
