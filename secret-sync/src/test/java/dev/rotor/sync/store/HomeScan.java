package dev.rotor.sync.store;

import dev.rotor.contracts.store.LocalStoreFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for a value everywhere under a ROTOR_HOME: inside the decrypted keystore (every material and the index, read
 * through {@link LocalStoreFormat} with the generated password file) and in the bytes of every file, as raw UTF-8,
 * hex and base64 (standard and URL-safe, at each of the three alignments a value can have inside a longer encoding).
 */
public final class HomeScan {
    private HomeScan() {
    }

    /** Where the value was found, as {@code alias} for keystore entries and {@code path (form)} for files. */
    public static List<String> find(Path home, String value) throws Exception {
        List<String> found = new ArrayList<>();
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        Path keystore = home.resolve(LocalStoreFormat.DIRECTORY).resolve(LocalStoreFormat.FILE);
        if (Files.exists(keystore)) {
            char[] password = Files.readString(keystore.resolveSibling(LocalStoreFormat.PASSWORD_FILE)).trim()
                    .toCharArray();
            LocalStoreFormat.Contents contents = LocalStoreFormat.open(keystore.getParent(), password).contents();
            for (Map.Entry<String, byte[]> e : contents.materials().entrySet()) {
                if (indexOf(e.getValue(), raw) >= 0) {
                    found.add("keystore entry " + e.getKey());
                }
            }
            if (contents.index() != null && indexOf(contents.index(), raw) >= 0) {
                found.add("keystore index");
            }
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(home)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            forms(raw).forEach((form, needle) -> {
                if (indexOf(bytes, needle) >= 0) {
                    found.add(home.relativize(file) + " (" + form + ")");
                }
            });
        }
        return found;
    }

    /** The encodings to look for; for base64 the part that does not depend on the neighbouring bytes. */
    static Map<String, byte[]> forms(byte[] raw) {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        out.put("raw", raw);
        out.put("hex", HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
        out.put("HEX", HexFormat.of().withUpperCase().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + raw.length];
            System.arraycopy(raw, 0, shifted, shift, raw.length);
            out.put("base64@" + shift, stable(Base64.getEncoder().withoutPadding().encodeToString(shifted)));
            out.put("base64url@" + shift, stable(Base64.getUrlEncoder().withoutPadding().encodeToString(shifted)));
        }
        return out;
    }

    // The first and last 4 characters can depend on the bytes around the value.
    private static byte[] stable(String encoded) {
        return encoded.substring(4, encoded.length() - 4).getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
