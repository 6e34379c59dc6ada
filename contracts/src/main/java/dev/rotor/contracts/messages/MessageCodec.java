package dev.rotor.contracts.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/** The one JSON mapping of every message: the payload of a binary-mode CloudEvent. */
public final class MessageCodec {
    private static final ObjectMapper MAPPER = RotorJson.mapper();

    private MessageCodec() {
    }

    public static byte[] encode(RotorMessage message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String encodeToString(RotorMessage message) {
        return new String(encode(message), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Reads a payload of the given wire type. Unknown fields are ignored, so a newer producer can add fields.
     *
     * @throws MalformedMessageException naming the problem (never quoting the payload)
     */
    public static RotorMessage decode(String type, byte[] payload) {
        Class<? extends RotorMessage> target = MessageTypes.classOf(type)
                .orElseThrow(() -> new MalformedMessageException(
                        type == null ? "missing ce_type header" : "unknown message type '" + type + "'"));
        return decode(target, payload);
    }

    /** Reads a payload as a known record class. */
    public static <T extends RotorMessage> T decode(Class<T> target, byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new MalformedMessageException("empty payload for " + MessageTypes.typeOf(target));
        }
        try {
            return MAPPER.readValue(payload, target);
        } catch (JsonMappingException e) {
            throw new MalformedMessageException("invalid " + MessageTypes.typeOf(target) + " at '" + path(e) + "': "
                    + rootCause(e));
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("payload of " + MessageTypes.typeOf(target) + " is not JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    // Only our own constructor checks and Jackson's type names reach here; the payload is never quoted.
    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NullPointerException) {
            return "missing required field '" + cause.getMessage() + "'";
        }
        if (cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        return "wrong type or shape";
    }
}
