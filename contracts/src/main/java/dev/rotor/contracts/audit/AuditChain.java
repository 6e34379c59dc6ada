package dev.rotor.contracts.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash chain of the audit log: one definition, used by the orchestrator to write entries and by
 * {@code rotor audit verify} to check them.
 *
 * <p>{@code hash = lowercase hex of SHA-256(UTF-8 bytes of (prevHash + canonicalJson(entry)))}, where
 * {@code prevHash} is the previous entry's hash as 64 lowercase hex characters, and {@link #GENESIS} (64 zeros) for the
 * first entry. So {@code printf '%s%s' "$PREV" "$JSON" | sha256sum} reproduces it.
 *
 * <p>The canonical JSON of an entry (RFC 8785 JSON Canonicalization, restricted to integers):
 * <ul>
 * <li>one object with the members {@code at}, {@code clientAddress}, {@code detail}, {@code kind}, {@code reason},
 * {@code roles}, {@code rotationId}, {@code secretId}, {@code seq}, {@code source}, {@code subject}; a member whose
 * column is null is left out, {@code roles} is always there (an array, sorted, possibly empty);</li>
 * <li>object members sorted by key in UTF-16 code unit order ({@link String#compareTo}), at every depth;</li>
 * <li>no whitespace anywhere outside strings;</li>
 * <li>strings: {@code "} and {@code \} escaped with a backslash, U+0008, U+0009, U+000A, U+000C and U+000D as
 * {@code \b \t \n \f \r}, the other characters below U+0020 as {@code \}{@code u00xx} (lowercase hex); every other
 * character as itself, in UTF-8;</li>
 * <li>numbers: integers only, in decimal, no leading zeros, no plus sign, no exponent (a detail with a fraction is
 * refused when written);</li>
 * <li>{@code seq} an integer; {@code at} the UTC instant as {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ} (always six fraction
 * digits); {@code rotationId} the lowercase UUID; {@code detail} the detail object itself (not a string), written by
 * the same rules, its {@code null}s kept.</li>
 * </ul>
 */
public final class AuditChain {
    /** The {@code prev_hash} of entry 1. */
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AuditChain() {
    }

    /** The hash of {@code entry} chained after {@code prevHash}. */
    public static String hash(String prevHash, AuditEntry entry) {
        if (prevHash == null || !prevHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("prevHash must be 64 lowercase hex characters");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha.update(canonicalJson(entry).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The canonical JSON of an entry, as defined above. */
    public static String canonicalJson(AuditEntry e) {
        Map<String, String> members = new TreeMap<>();
        members.put("seq", Long.toString(e.seq()));
        members.put("at", string(formatAt(e.at())));
        members.put("kind", string(e.kind()));
        members.put("subject", string(e.subject()));
        List<String> roles = new ArrayList<>();
        e.roles().forEach(r -> roles.add(string(r)));
        members.put("roles", "[" + String.join(",", roles) + "]");
        members.put("source", string(e.source()));
        putIfSet(members, "reason", e.reason());
        putIfSet(members, "clientAddress", e.clientAddress());
        putIfSet(members, "secretId", e.secretId());
        putIfSet(members, "rotationId", e.rotationId() == null ? null : e.rotationId().toString());
        if (e.detail() != null) {
            members.put("detail", canonicalDetail(e.detail()));
        }
        StringBuilder out = new StringBuilder("{");
        members.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(string(k)).append(':').append(v));
        return out.append('}').toString();
    }

    /**
     * A detail as canonical JSON text: what the orchestrator stores in {@code detail}, and what the hash covers.
     *
     * @throws IllegalArgumentException when the text is not a JSON object, or holds a number with a fraction
     */
    public static String canonicalDetail(String detailJson) {
        JsonNode node;
        try {
            node = JSON.readTree(detailJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("detail is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("detail must be a JSON object");
        }
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    /** A detail object built from a map (values: strings, integers, booleans, lists, maps, null), canonical. */
    public static String detail(Map<String, ?> values) {
        try {
            return canonicalDetail(JSON.writeValueAsString(values));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("detail cannot be written as JSON", e);
        }
    }

    /** {@code at} as the canonical JSON writes it. */
    public static String formatAt(Instant at) {
        return AT.format(at);
    }

    private static void putIfSet(Map<String, String> members, String key, String value) {
        if (value != null) {
            members.put(key, string(value));
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        JsonNodeType type = node.getNodeType();
        switch (type) {
            case OBJECT -> {
                Map<String, JsonNode> sorted = new TreeMap<>();
                node.fields().forEachRemaining(f -> sorted.put(f.getKey(), f.getValue()));
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> m : sorted.entrySet()) {
                    out.append(first ? "" : ",").append(string(m.getKey())).append(':');
                    write(m.getValue(), out);
                    first = false;
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> out.append(string(node.textValue()));
            case NUMBER -> {
                if (!node.isIntegralNumber()) {
                    throw new IllegalArgumentException("detail holds a number with a fraction; only integers are"
                            + " allowed");
                }
                out.append(node.bigIntegerValue().toString());
            }
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("detail holds a " + type + ", which JSON text cannot");
        }
    }

    static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
