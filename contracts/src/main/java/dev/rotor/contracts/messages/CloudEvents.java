package dev.rotor.contracts.messages;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** CloudEvents 1.0 in Kafka binary mode: attributes as {@code ce_*} headers, the JSON payload as the value. */
public final class CloudEvents {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";
    /**
     * The distributed-tracing extension: the W3C trace context of the work that created the event, kept as it was
     * when the event is sent again. The hop's own context travels beside it in the plain W3C headers
     * {@value #W3C_TRACE_PARENT} and {@value #W3C_TRACE_STATE}, which tracing libraries read.
     */
    public static final String TRACE_PARENT = "ce_traceparent";
    public static final String TRACE_STATE = "ce_tracestate";
    public static final String W3C_TRACE_PARENT = "traceparent";
    public static final String W3C_TRACE_STATE = "tracestate";
    /**
     * The {@code rotorstep} extension, on step commands only: the command's step, so that a worker can pass over a
     * command for the other worker's step without checking its signature or reading its payload (that worker checks
     * it). It is a routing hint, not authority, and is not signed: a consumer skips a record on it, never acts on it.
     * A record it acts on is verified, and the step in its payload decides. A command without it (from an older
     * orchestrator) is read in full; see {@link KafkaEnvelope#hintedStepIn}.
     */
    public static final String STEP = "ce_rotorstep";
    /** Header set on dead-lettered records by Rotor's own failure handling: why the record was refused. */
    public static final String DLQ_REASON = "dead-letter-reason";

    private CloudEvents() {
    }

    /** The binary-mode headers for one message. {@code source} names the publishing service, e.g. {@code /rotor/orchestrator}. */
    public static Map<String, String> headers(RotorMessage message, UUID id, String source, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, "1.0");
        headers.put(ID, id.toString());
        headers.put(SOURCE, source);
        headers.put(TYPE, message.type());
        headers.put(SUBJECT, message.subject());
        headers.put(TIME, DateTimeFormatter.ISO_INSTANT.format(time));
        headers.put(CONTENT_TYPE, JSON);
        if (message instanceof StepRequested command) {
            headers.put(STEP, command.step().name());
        }
        return headers;
    }
}
