package dev.rotor.contracts.cipher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One {@code ActiveRecord::Encryption::Message} as {@code MessageSerializer} writes it: {@code p} and every string
 * header in strict base64, {@code c} a JSON boolean, written in the order Rails adds them ({@code iv}, {@code at},
 * {@code e}, {@code i}, {@code c}), so a deterministic value is the same bytes an app computes to look a row up.
 *
 * @param encoding the {@code e} header (a Ruby encoding name), or null for UTF-8
 * @param keyReference the {@code i} header, or null
 */
record ActiveRecordMessage(byte[] ciphertext, byte[] iv, byte[] tag, byte[] encoding, byte[] keyReference,
        boolean compressed) {
    /** {@code Encryptor::THRESHOLD_TO_JUSTIFY_COMPRESSION}: payloads over 140 bytes are deflated. */
    static final int COMPRESSION_THRESHOLD = 140;

    private static final ObjectMapper JSON = new ObjectMapper();

    String toJson() {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder json = new StringBuilder(64 + ciphertext.length * 4 / 3)
                .append("{\"p\":\"").append(b64.encodeToString(ciphertext))
                .append("\",\"h\":{\"iv\":\"").append(b64.encodeToString(iv))
                .append("\",\"at\":\"").append(b64.encodeToString(tag)).append('"');
        if (encoding != null) {
            json.append(",\"e\":\"").append(b64.encodeToString(encoding)).append('"');
        }
        if (keyReference != null) {
            json.append(",\"i\":\"").append(b64.encodeToString(keyReference)).append('"');
        }
        if (compressed) {
            json.append(",\"c\":true");
        }
        return json.append("}}").toString();
    }

    /** Reads a stored value; refuses what Rails would, and envelope encryption, which Rotor does not rotate. */
    static ActiveRecordMessage parse(String codec, String stored) throws UndecryptableException {
        if (stored == null) {
            throw new UndecryptableException(codec, UndecryptableException.Reason.TOO_SHORT, "no value");
        }
        JsonNode root;
        try {
            root = JSON.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new UndecryptableException(codec, UndecryptableException.Reason.UNKNOWN_FORMAT, "not JSON");
        }
        if (root == null || !root.isObject() || !root.path("p").isTextual()) {
            throw new UndecryptableException(codec, UndecryptableException.Reason.UNKNOWN_FORMAT,
                    "not a JSON object with a string p");
        }
        JsonNode headers = root.path("h");
        if (!headers.isObject()) {
            throw new UndecryptableException(codec, UndecryptableException.Reason.UNKNOWN_FORMAT, "no headers h");
        }
        if (headers.has("k")) {
            throw new UndecryptableException(codec, UndecryptableException.Reason.UNKNOWN_FORMAT,
                    "envelope encryption (header k) is not supported");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
            if (it.next().getValue().isContainerNode()) {
                throw new UndecryptableException(codec, UndecryptableException.Reason.UNKNOWN_FORMAT,
                        "a nested header");
            }
        }
        byte[] iv = header(codec, headers, "iv");
        byte[] tag = header(codec, headers, "at");
        if (iv == null || iv.length != AesGcm.NONCE_LENGTH || tag == null || tag.length != AesGcm.TAG_LENGTH) {
            throw new UndecryptableException(codec, UndecryptableException.Reason.UNKNOWN_FORMAT,
                    "iv must be 12 bytes and at 16");
        }
        JsonNode c = headers.path("c");
        // Ruby's truth: anything but a missing header, null and false.
        boolean compressed = !c.isMissingNode() && !c.isNull() && !(c.isBoolean() && !c.booleanValue());
        return new ActiveRecordMessage(base64(codec, root.get("p").textValue()), iv, tag,
                header(codec, headers, "e"), header(codec, headers, "i"), compressed);
    }

    private static byte[] header(String codec, JsonNode headers, String name) throws UndecryptableException {
        JsonNode value = headers.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new UndecryptableException(codec, UndecryptableException.Reason.UNKNOWN_FORMAT,
                    "header " + name + " is not a string");
        }
        return base64(codec, value.textValue());
    }

    private static byte[] base64(String codec, String text) throws UndecryptableException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new UndecryptableException(codec, UndecryptableException.Reason.NOT_BASE64);
        }
    }

    /** {@code Zlib.deflate}: the zlib format at the default level. */
    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 16);
            byte[] buf = new byte[4096];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** {@code Zlib.inflate}; a payload another compressor made is named as such. */
    static byte[] inflate(String codec, byte[] data) throws UndecryptableException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 3 + 16);
            byte[] buf = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new UndecryptableException(codec, UndecryptableException.Reason.UNKNOWN_FORMAT,
                    "a compressed payload that is not zlib (another compressor?)");
        } finally {
            inflater.end();
        }
    }
}
